package io.kapro.agent.apply;

/**
 * Argo CD kustomize image overrides are plain strings ({@code ghcr.io/acme/app:1.2.0}, {@code
 * app=ghcr.io/acme/app:1.2.0}, {@code ghcr.io/acme/app@sha256:...}); a path step {@code
 * [image=ghcr.io/acme/app]} selects the entry for that image name.
 */
public final class ImageRefs {
  /** The match key that selects string list entries by image name. */
  public static final String MATCH_KEY = "image";

  private ImageRefs() {}

  /** The image name an override string is about. */
  public static String nameOf(String override) {
    int eq = override.indexOf('=');
    if (eq >= 0) {
      return override.substring(0, eq);
    }
    int at = override.indexOf('@');
    String s = at >= 0 ? override.substring(0, at) : override;
    int colon = s.lastIndexOf(':');
    return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
  }
}
