package io.kapro.agent.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.kapro.agent.config.AllowList;
import io.kapro.agent.config.AllowRule;
import io.kapro.agent.config.ManagedKind;
import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.ResourcePath;
import io.kapro.agent.v1.Inventory;
import io.kapro.agent.v1.InventoryField;
import io.kapro.agent.v1.InventoryObject;
import io.kapro.oci.bundle.ObjectReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists, read-only, the GitOps objects the agent's allow-list covers (its kinds, namespaces and
 * names) and describes each: version-bearing fields, source, owner, whether Kapro manages it.
 * Bounded to {@value #MAX_OBJECTS} objects and {@value #MAX_BYTES} bytes encoded (the gateway
 * refuses messages above 64 KiB); more sets {@code truncated}.
 */
public final class InventoryCollector {
  static final int MAX_OBJECTS = 300;
  static final int MAX_BYTES = 48 * 1024;
  private static final int MAX_TEXT = 256;

  private final KubeClient client;
  private final AllowList allow;

  public InventoryCollector(KubeClient client, AllowList allow) {
    this.client = client;
    this.allow = allow;
  }

  /**
   * Lists and describes the objects.
   *
   * @param managed the objects the applied bundle patches (Kapro manages them)
   */
  public Inventory collect(Set<ObjectReference> managed) {
    TreeMap<String, InventoryObject> found = new TreeMap<>();
    for (AllowRule rule : allow.rules()) {
      String ns = rule.namespace().glob();
      boolean literal = !ns.contains("*") && !ns.contains("?");
      ManagedKind kind = ManagedKind.of(rule.apiVersion(), rule.kind()).orElse(null);
      if (kind == null) {
        continue; // the config loader refuses such rules
      }
      String version = rule.apiVersion().substring(rule.apiVersion().indexOf('/') + 1);
      ResourcePath path =
          new ResourcePath(kind.group(), version, kind.plural(), literal ? ns : null);
      client.list(
          path,
          null,
          o -> {
            JsonNode meta = o.path("metadata");
            ObjectReference ref =
                new ObjectReference(
                    rule.apiVersion(),
                    rule.kind(),
                    meta.path("namespace").asText(""),
                    meta.path("name").asText(""));
            if (rule.covers(ref)) {
              found.putIfAbsent(
                  rule.kind() + "/" + ref.namespace() + "/" + ref.name(),
                  describe(o, ref, managed.contains(ref)));
            }
          });
    }
    return bounded(new ArrayList<>(found.values()));
  }

  static Inventory bounded(List<InventoryObject> objects) {
    Inventory.Builder b = Inventory.newBuilder();
    int bytes = 0;
    for (InventoryObject o : objects) {
      int size = o.getSerializedSize() + 4;
      if (b.getObjectsCount() >= MAX_OBJECTS || bytes + size > MAX_BYTES) {
        b.setTruncated(true);
        break;
      }
      b.addObjects(o);
      bytes += size;
    }
    return b.setDigest(digest(b.getObjectsList(), b.getTruncated())).build();
  }

  static String digest(List<InventoryObject> objects, boolean truncated) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (InventoryObject o : objects) {
        md.update(o.toByteArray());
      }
      md.update((byte) (truncated ? 1 : 0));
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One object: the fields a Fleet unit could set, where it comes from, who owns it. */
  static InventoryObject describe(JsonNode o, ObjectReference ref, boolean managed) {
    InventoryObject.Builder b =
        InventoryObject.newBuilder()
            .setApiVersion(ref.apiVersion())
            .setKind(ref.kind())
            .setObjectNamespace(ref.namespace())
            .setName(ref.name())
            .setManaged(managed);
    JsonNode spec = o.path("spec");
    ManagedKind kind = ManagedKind.of(ref.apiVersion(), ref.kind()).orElse(null);
    if (kind != null) {
      switch (kind) {
        case HELM_RELEASE -> {
          JsonNode chart = spec.path("chart").path("spec");
          field(b, "spec.chart.spec.version", chart.path("version"));
          if (chart.has("chart")) {
            b.setSource(
                text(
                    "chart "
                        + chart.path("chart").asText()
                        + " from "
                        + sourceRef(chart.path("sourceRef"), ref.namespace())));
          } else if (spec.has("chartRef")) {
            b.setSource(text("chartRef " + sourceRef(spec.path("chartRef"), ref.namespace())));
          }
        }
        case OCI_REPOSITORY, GIT_REPOSITORY -> {
          for (String f : List.of("tag", "semver", "digest", "commit", "branch")) {
            field(b, "spec.ref." + f, spec.path("ref").path(f));
          }
          b.setSource(text(spec.path("url").asText("")));
        }
        case KUSTOMIZATION -> {
          for (JsonNode image : spec.path("images")) {
            if (image.hasNonNull("newTag")) {
              field(
                  b,
                  "spec.images[name=" + image.path("name").asText() + "].newTag",
                  image.path("newTag"));
            }
          }
          b.setSource(
              text(
                  sourceRef(spec.path("sourceRef"), ref.namespace())
                      + (spec.hasNonNull("path") ? " path " + spec.path("path").asText() : "")));
        }
        case APPLICATION -> {
          if (spec.has("source")) {
            field(b, "spec.source.targetRevision", spec.path("source").path("targetRevision"));
            b.setSource(text(appSource(spec.path("source"))));
          } else {
            int i = 0;
            List<String> sources = new ArrayList<>();
            for (JsonNode s : spec.path("sources")) {
              field(b, "spec.sources[" + i + "].targetRevision", s.path("targetRevision"));
              sources.add(appSource(s));
              i++;
            }
            b.setSource(text(String.join("; ", sources)));
          }
        }
      }
    }
    String owner = owner(o.path("metadata"));
    if (owner != null) {
      b.setOwner(text(owner));
    }
    return b.build();
  }

  private static void field(InventoryObject.Builder b, String path, JsonNode value) {
    if (value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
      b.addFields(InventoryField.newBuilder().setPath(path).setValue(text(value.asText())));
    }
  }

  private static String sourceRef(JsonNode ref, String defaultNamespace) {
    return ref.path("kind").asText("?")
        + " "
        + ref.path("namespace").asText(defaultNamespace)
        + "/"
        + ref.path("name").asText("?");
  }

  private static String appSource(JsonNode s) {
    String where = s.path("repoURL").asText("");
    if (s.hasNonNull("chart")) {
      return where + " chart " + s.path("chart").asText();
    }
    return where + (s.hasNonNull("path") ? " path " + s.path("path").asText() : "");
  }

  /**
   * The parent GitOps object: Flux's kustomize-controller and helm-controller label what they apply
   * ({@code kustomize.toolkit.fluxcd.io/name|namespace}, {@code
   * helm.toolkit.fluxcd.io/name|namespace}); Argo CD's ApplicationSet controller and app-of-apps
   * set an owner reference or the tracking annotation {@code argocd.argoproj.io/tracking-id}.
   */
  static String owner(JsonNode meta) {
    JsonNode labels = meta.path("labels");
    for (String controller : List.of("kustomize", "helm")) {
      String name = labels.path(controller + ".toolkit.fluxcd.io/name").asText("");
      if (!name.isEmpty()) {
        String ns = labels.path(controller + ".toolkit.fluxcd.io/namespace").asText("");
        return (controller.equals("kustomize") ? "Kustomization " : "HelmRelease ")
            + (ns.isEmpty() ? "" : ns + "/")
            + name;
      }
    }
    for (JsonNode r : meta.path("ownerReferences")) {
      String kind = r.path("kind").asText("");
      if (kind.equals("ApplicationSet") || kind.equals("Application")) {
        return kind + " " + r.path("name").asText();
      }
    }
    String tracking = meta.path("annotations").path("argocd.argoproj.io/tracking-id").asText("");
    if (!tracking.isEmpty()) {
      return "Application " + tracking.substring(0, Math.max(0, tracking.indexOf(':')));
    }
    return null;
  }

  private static String text(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", " ").strip();
    byte[] b = clean.getBytes(StandardCharsets.UTF_8);
    return b.length <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT / 2) + "…";
  }
}
