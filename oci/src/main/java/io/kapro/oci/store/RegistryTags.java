package io.kapro.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists one repository's tags page by page the way the distribution spec describes it: {@code GET
 * /v2/<name>/tags/list?n=<page>}, then the URL of the {@code Link: <...>; rel="next"} header until
 * there is none. Every page is bounded ({@link #MAX_PAGE_BYTES}); the whole listing is refused
 * (TOO_LARGE, naming the limit) once it passes {@code max} tags, because a truncated list of an
 * unordered listing would make "the newest tag" a guess. A next link must stay on the registry and
 * on this repository's tag list; anything else is refused.
 */
final class RegistryTags {
  static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;
  private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

  private final RegistryConfig config;
  private final RegistryHttp http;
  private final RegistryAuth auth;

  RegistryTags(RegistryConfig config, RegistryHttp http, RegistryAuth auth) {
    this.config = config;
    this.http = http;
    this.auth = auth;
  }

  List<String> list(String repository, int page, int max) {
    String path = "/v2/" + repository + "/tags/list";
    URI next = URI.create(config.baseUrl() + path + "?n=" + page);
    String header = auth.headerFor("repository:" + repository + ":pull");
    String what = "list tags of " + repository;
    List<String> all = new ArrayList<>();
    int pages = 0;
    while (next != null) {
      RegistryHttp.Reply r =
          http.send(
              "GET", next, Map.of("Accept", "application/json"), header, MAX_PAGE_BYTES, what);
      if (r.status() == 404 && pages == 0) {
        throw new OciException(
            Reason.NOT_FOUND,
            "registry "
                + config.baseUrl()
                + ": repository "
                + repository
                + " does not exist (or has no tags); check the repository name");
      }
      if (r.status() != 200) {
        throw RegistryErrors.forStatus(
            config, "registry " + config.baseUrl() + ": " + what + " failed: ", r.status(), null);
      }
      pages++;
      all.addAll(tags(r.body(), what));
      if (all.size() > max) {
        throw new OciException(
            Reason.TOO_LARGE,
            "registry "
                + config.baseUrl()
                + ": repository "
                + repository
                + " lists more than "
                + max
                + " tags (stopped after "
                + pages
                + " pages); clean up old tags in the registry or subscribe to a repository with"
                + " fewer");
      }
      next = next(r, path, what);
    }
    return List.copyOf(all);
  }

  private URI next(RegistryHttp.Reply r, String path, String what) {
    String link = r.headers().firstValue("Link").orElse(null);
    if (link == null) {
      return null;
    }
    Matcher m = NEXT.matcher(link);
    if (!m.find()) {
      return null;
    }
    URI u;
    try {
      u = URI.create(config.baseUrl() + "/").resolve(m.group(1));
    } catch (IllegalArgumentException e) {
      throw nonsense(what, "Link header " + link + " is not a URL");
    }
    URI base = URI.create(config.baseUrl());
    if (!base.getScheme().equalsIgnoreCase(u.getScheme())
        || !base.getAuthority().equalsIgnoreCase(u.getAuthority())
        || !path.equals(u.getPath())) {
      throw nonsense(
          what, "Link header points away from this repository's tag list (" + m.group(1) + ")");
    }
    return u;
  }

  private List<String> tags(byte[] body, String what) {
    try {
      JsonNode tags = CanonicalJson.readStrict(body).path("tags");
      List<String> out = new ArrayList<>();
      if (tags.isArray()) {
        for (JsonNode t : tags) {
          if (!t.isTextual()) {
            throw new IOException("tags entry is not a string");
          }
          out.add(t.textValue());
        }
      } else if (!tags.isMissingNode() && !tags.isNull()) {
        throw new IOException("tags is not an array");
      }
      return out;
    } catch (IOException e) {
      throw nonsense(what, e.getMessage());
    }
  }

  private OciException nonsense(String what, String why) {
    return new OciException(
        Reason.PROTOCOL_ERROR,
        "registry " + config.baseUrl() + ": " + what + " answered nonsense: " + why);
  }
}
