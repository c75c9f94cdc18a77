package io.kapro.hub.publish;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.agent.testing.MutableClock;
import io.kapro.api.Kapro;
import io.kapro.api.testing.LocalKubeApi;
import io.kapro.api.v1alpha2.Backend;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.ClusterSpec;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.FleetSpec;
import io.kapro.api.v1alpha2.FleetUnit;
import io.kapro.api.v1alpha2.LabelSelector;
import io.kapro.api.v1alpha2.ObjectRef;
import io.kapro.api.v1alpha2.RegistrySpec;
import io.kapro.api.v1alpha2.SecretKeyRef;
import io.kapro.api.v1alpha2.SigningSpec;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetSpec;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.api.v1alpha2.UnitKind;
import io.kapro.api.v1alpha2.UnitVersion;
import io.kapro.api.v1alpha2.VersionField;
import io.kapro.hub.target.PublishRequest;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.RegistryStore;
import io.kapro.oci.testing.LocalRegistry;
import io.kapro.oci.testing.Registries;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.VerifiedBundle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local API server with the Kapro CRDs, the real distribution registry, a Fleet with one unit of
 * every field kind and its signing key Secret; helpers for Clusters, Targets and verification.
 */
public final class PublishFixture implements AutoCloseable {
  public static final String NS = "team-a";
  public static final String FLEET = "shop";
  public static final String KEY_SECRET = "shop-signing";

  public final LocalKubeApi api = LocalKubeApi.start();
  public final KubernetesClient client = api.client();
  public final LocalRegistry registry = LocalRegistry.startPlain();
  public final SigningKey key = SigningKey.generate();
  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T01:00:00Z"));

  public PublishFixture() {
    signingSecret(KEY_SECRET, "cosign.key", key.privateKeyPem());
    fleet("24h", null);
  }

  public void signingSecret(String name, String key, String pem) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .addToData(
                    key, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)))
                .build())
        .createOr(r -> r.update());
  }

  /**
   * The Fleet: units web (HelmRelease), api (Kustomization image), cfg (substitute), site (Argo
   * kustomize image), chart (Argo helm parameter), src (OCIRepository tag).
   */
  public Fleet fleet(String ttl, String reissueBefore) {
    Fleet f = new Fleet();
    f.getMetadata().setName(FLEET);
    f.getMetadata().setNamespace(NS);
    FleetSpec spec = new FleetSpec();
    RegistrySpec reg = new RegistrySpec();
    reg.setUrl(registry.host());
    reg.setInsecure(true);
    spec.setRegistry(reg);
    SigningSpec signing = new SigningSpec();
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(KEY_SECRET);
    signing.setKeySecretRef(ref);
    spec.setSigning(signing);
    spec.setBundleTTL(ttl);
    spec.setReissueBefore(reissueBefore);
    LabelSelector sel = new LabelSelector();
    sel.setMatchLabels(Map.of("fleet", FLEET));
    spec.setClusterSelector(sel);
    List<FleetUnit> units = new ArrayList<>();
    units.add(unit("web", UnitKind.HelmRelease, VersionField.chartVersion, null, null));
    units.add(unit("api", UnitKind.Kustomization, VersionField.image, "ghcr.io/acme/api", null));
    units.add(unit("cfg", UnitKind.Kustomization, VersionField.substitute, null, "APP_VERSION"));
    units.add(
        unit("site", UnitKind.Application, VersionField.kustomizeImage, "ghcr.io/acme/site", null));
    units.add(unit("chart", UnitKind.Application, VersionField.helmParameter, null, "image.tag"));
    units.add(unit("src", UnitKind.OCIRepository, VersionField.ociTag, null, null));
    spec.setUnits(units);
    f.setSpec(spec);
    return client.resource(f).createOr(r -> r.update());
  }

  static FleetUnit unit(
      String name, UnitKind kind, VersionField field, String image, String parameter) {
    FleetUnit u = new FleetUnit();
    u.setName(name);
    u.setBackend(kind.backend());
    u.setKind(kind);
    u.setField(field);
    u.setImage(image);
    u.setParameter(parameter);
    ObjectRef ref = new ObjectRef();
    ref.setNamespace(kind.backend() == Backend.ArgoCD ? "argocd" : "flux-system");
    ref.setName(name);
    u.setObjectRef(ref);
    return u;
  }

  public Cluster cluster(String name) {
    Cluster c = new Cluster();
    c.getMetadata().setName(name);
    c.getMetadata().setNamespace(NS);
    c.getMetadata().setLabels(Map.of("fleet", FLEET));
    c.setSpec(new ClusterSpec());
    return client.resource(c).create();
  }

  public Cluster getCluster(String name) {
    return client.resources(Cluster.class).inNamespace(NS).withName(name).get();
  }

  /** A Target in phase Publishing, labelled like the engine labels it. */
  public Target target(String name, String cluster, String run, Map<String, String> units) {
    Target t = new Target();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(NS);
    Map<String, String> labels = new HashMap<>();
    labels.put(Kapro.Labels.FLEET, FLEET);
    labels.put(Kapro.Labels.CLUSTER, cluster);
    labels.put(Kapro.Labels.PROMOTION_RUN, run);
    labels.put(Kapro.Labels.STAGE, "prod");
    labels.put(Kapro.Labels.PHASE, "Publishing");
    t.getMetadata().setLabels(labels);
    TargetSpec spec = new TargetSpec();
    spec.setRun(run);
    spec.setCluster(cluster);
    spec.setStage("prod");
    spec.setWave(0);
    spec.setUnits(
        units.entrySet().stream()
            .map(
                e -> {
                  UnitVersion u = new UnitVersion();
                  u.setName(e.getKey());
                  u.setVersion(e.getValue());
                  return u;
                })
            .toList());
    t.setSpec(spec);
    Target created = client.resource(t).create();
    TargetStatus s = new TargetStatus();
    s.setPhase(TargetPhase.Publishing);
    created.setStatus(s);
    return client.resource(created).updateStatus();
  }

  public Target getTarget(String name) {
    return client.resources(Target.class).inNamespace(NS).withName(name).get();
  }

  public static PublishRequest request(
      String target, String cluster, String run, Map<String, String> units) {
    return new PublishRequest(
        NS, FLEET, run, target, "prod", cluster, new LinkedHashMap<>(units), false);
  }

  public FleetPublisher publisher() {
    return new FleetPublisher(client, clock);
  }

  public BundleStore store() {
    return new RegistryStore(Registries.config(registry));
  }

  public String repository(String cluster) {
    return "kapro/" + NS + "/" + cluster;
  }

  /** Verifies what a tag or digest of the cluster's repository holds, as an agent would. */
  public VerifiedBundle verify(String cluster, String reference, long highWaterMark) {
    return BundleVerifier.builder(TrustedKeys.of(key.publicKey()), new ClusterIdentity(NS, cluster))
        .clock(clock)
        .build()
        .verify(store(), repository(cluster), reference, highWaterMark);
  }

  @Override
  public void close() {
    registry.close();
    api.close();
  }
}
