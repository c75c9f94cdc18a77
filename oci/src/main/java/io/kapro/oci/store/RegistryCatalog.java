package io.kapro.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Lists a registry's repositories through {@code GET /v2/_catalog}, page by page ({@code n} and
 * {@code last}), with bounded answers. Token registries are asked for scope {@code
 * registry:catalog:*}.
 */
final class RegistryCatalog {
  private static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;

  private final RegistryConfig config;
  private final RegistryHttp http;
  private final RegistryAuth auth;
  private final int page;
  private final int max;

  RegistryCatalog(RegistryConfig config, RegistryHttp http, RegistryAuth auth, int page, int max) {
    this.config = config;
    this.http = http;
    this.auth = auth;
    this.page = page;
    this.max = max;
  }

  List<String> list() {
    TreeSet<String> all = new TreeSet<>();
    String last = null;
    while (true) {
      List<String> names = page(last);
      all.addAll(names);
      if (all.size() > max) {
        throw new OciException(
            Reason.TOO_LARGE,
            "registry "
                + config.baseUrl()
                + " lists more than "
                + max
                + " repositories; select clusters or a namespace instead of everything");
      }
      if (names.size() < page || names.get(names.size() - 1).equals(last)) {
        return List.copyOf(all);
      }
      last = names.get(names.size() - 1);
    }
  }

  private List<String> page(String last) {
    String url =
        config.baseUrl()
            + "/v2/_catalog?n="
            + page
            + (last == null ? "" : "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
    String what = "list repositories (" + url + ")";
    String header = auth.headerFor("registry:catalog:*");
    RegistryHttp.Reply r =
        http.send(
            "GET",
            URI.create(url),
            Map.of("Accept", "application/json"),
            header,
            MAX_PAGE_BYTES,
            "registry " + config.baseUrl() + " catalog");
    try {
      byte[] body = r.body();
      if (r.status() != 200) {
        throw RegistryErrors.forStatus(
            config,
            "registry "
                + config.baseUrl()
                + ": "
                + what
                + " failed"
                + (r.status() == 401 || r.status() == 403
                    ? " (the catalog needs registry:catalog:* access; or name the clusters)"
                    : "")
                + ": ",
            r.status(),
            null);
      }
      JsonNode repos = CanonicalJson.readStrict(body).path("repositories");
      List<String> out = new ArrayList<>();
      if (repos.isArray()) {
        for (JsonNode n : repos) {
          if (!n.isTextual()) {
            throw new IOException("repositories entry is not a string");
          }
          out.add(n.textValue());
        }
      } else if (!repos.isMissingNode() && !repos.isNull()) {
        throw new IOException("repositories is not an array");
      }
      return out;
    } catch (IOException e) {
      throw new OciException(
          Reason.PROTOCOL_ERROR,
          "registry " + config.baseUrl() + ": " + what + " answered nonsense: " + e.getMessage());
    }
  }
}
