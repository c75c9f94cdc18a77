package io.kapro.agent.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Names who else manages an object, from what the object shows: its {@code ownerReferences}
 * (controller first), Flux's {@code kustomize.toolkit.fluxcd.io/name}/{@code namespace} and {@code
 * helm.toolkit.fluxcd.io/name}/{@code namespace} labels (set on every object those controllers
 * apply), Argo CD's tracking annotation {@code argocd.argoproj.io/tracking-id} ({@code
 * <app>:<group>/<kind>:<namespace>/<name>}) and its default instance label {@code
 * app.kubernetes.io/instance}. Pure.
 */
public final class Owners {
  static final String KUSTOMIZE_NAME = "kustomize.toolkit.fluxcd.io/name";
  static final String KUSTOMIZE_NAMESPACE = "kustomize.toolkit.fluxcd.io/namespace";
  static final String HELM_NAME = "helm.toolkit.fluxcd.io/name";
  static final String HELM_NAMESPACE = "helm.toolkit.fluxcd.io/namespace";
  static final String ARGO_TRACKING = "argocd.argoproj.io/tracking-id";
  static final String ARGO_INSTANCE = "app.kubernetes.io/instance";

  private Owners() {}

  /** Every owner the object names, most specific first; empty when it names none. */
  public static List<String> of(JsonNode object) {
    List<String> out = new ArrayList<>();
    JsonNode meta = object.path("metadata");
    String ns = meta.path("namespace").asText("");
    List<String> refs = new ArrayList<>();
    for (JsonNode ref : meta.path("ownerReferences")) {
      String s = ref.path("kind").asText("?") + " " + ns + "/" + ref.path("name").asText("?");
      if (ref.path("controller").asBoolean(false)) {
        refs.addFirst(s + " (controller ownerReference)");
      } else {
        refs.add(s + " (ownerReference)");
      }
    }
    out.addAll(refs);
    JsonNode labels = meta.path("labels");
    JsonNode annotations = meta.path("annotations");
    named(out, labels, KUSTOMIZE_NAME, KUSTOMIZE_NAMESPACE, "Kustomization");
    named(out, labels, HELM_NAME, HELM_NAMESPACE, "HelmRelease");
    String tracking = annotations.path(ARGO_TRACKING).asText("");
    if (!tracking.isEmpty()) {
      int colon = tracking.indexOf(':');
      String app = colon > 0 ? tracking.substring(0, colon) : tracking;
      out.add("Argo CD Application " + app + " (" + ARGO_TRACKING + ")");
    } else if (labels.hasNonNull(ARGO_INSTANCE)) {
      out.add(
          "Argo CD Application "
              + labels.path(ARGO_INSTANCE).asText()
              + " ("
              + ARGO_INSTANCE
              + ")");
    }
    return out;
  }

  /** The owners joined for a message, or a hint when the object names none. */
  public static String describe(JsonNode object) {
    List<String> owners = of(object);
    return owners.isEmpty()
        ? "an owner the object does not name (no ownerReferences, Flux or Argo CD labels)"
        : String.join(", ", owners);
  }

  private static void named(
      List<String> out, JsonNode labels, String nameKey, String nsKey, String kind) {
    String name = labels.path(nameKey).asText("");
    if (!name.isEmpty()) {
      String ns = labels.path(nsKey).asText("");
      out.add(kind + " " + (ns.isEmpty() ? "" : ns + "/") + name + " (" + nameKey + ")");
    }
  }
}
