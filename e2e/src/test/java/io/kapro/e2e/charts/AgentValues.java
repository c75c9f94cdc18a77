package io.kapro.e2e.charts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Values files for the agent chart: the minimal install and one full of edge cases. */
final class AgentValues {
  static final String TOKEN = "kbt_" + "A".repeat(43);
  static final String PUBLIC_KEY = publicKeyPem();
  static final String OTHER_KEY = publicKeyPem();
  // A PEM block; the chart and the agent's configuration loader pass it on unparsed.
  static final String CA =
      "-----BEGIN CERTIFICATE-----\n" + "MIIB".repeat(16) + "\n-----END CERTIFICATE-----\n";

  /**
   * What `kapro certs bootstrap-token` leaves to agent-values.yaml: hub.ca, source, keys, allow.
   */
  static final String REST =
      """
      hub:
        ca: |
      %s
      bundleSource:
        registry:
          url: registry.example.com:5000
      trustedKeys:
        cosign.pub: |
      %s
      allow:
        - apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          namespace: shop
          fields: [spec.chart.spec.version]
      """
          .formatted(indent(CA, 4), indent(PUBLIC_KEY, 4));

  static final String MINIMAL =
      merge(
          REST,
          """
          cluster: {namespace: shop, name: prod-eu-1}
          hub: {address: "hub.example.com:8443"}
          bootstrapToken: {token: %s}
          """
              .formatted(TOKEN));

  /** Air-gap layout source, two keys (rotation), narrowed RBAC, every optional part. */
  static final String EDGE =
      """
      cluster: {namespace: team-a, name: edge-0042}
      hub:
        address: "[2001:db8::1]:443"
        ca: |
      %s
      image: {repository: registry.internal/kapro/kapro-agent, tag: 0.1.0-rc1}
      bootstrapToken: {existingSecret: my-token}
      bundleSource:
        layout:
          path: /var/lib/kapro-bundles
          volume: {persistentVolumeClaim: {claimName: kapro-bundles}}
      trustedKeys:
        cosign.pub: |
      %s
        next-key.pub: |
      %s
      allow:
        - apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          namespace: "apps-*"
          name: web
          fields: [spec.chart.spec.version, spec.values.image.tag]
        - apiVersion: argoproj.io/v1alpha1
          kind: Application
          namespace: argocd
          fields: [spec.source.targetRevision]
      pollInterval: 5m
      health: {port: 9081}
      rbac:
        kinds:
          - {apiGroup: helm.toolkit.fluxcd.io, resource: helmreleases}
          - {apiGroup: argoproj.io, resource: applications}
          - {apiGroup: source.toolkit.fluxcd.io, resource: ocirepositories}
        namespaces: [apps-eu, argocd]
        resourceNames: [web, api]
      """
          .formatted(indent(CA, 4), indent(PUBLIC_KEY, 4), indent(OTHER_KEY, 4));

  /** A registry source with credentials and a private CA. */
  static final String REGISTRY_EXTRAS =
      """
      bundleSource:
        registry:
          url: https://registry.example.com
          repositoryPrefix: fleet
          credentialsSecret: registry-pull
          caCert: |
      %s
      """
          .formatted(indent(CA, 6));

  private AgentValues() {}

  static String indent(String text, int n) {
    return text.strip()
        .lines()
        .map(l -> " ".repeat(n) + l)
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }

  private static String publicKeyPem() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes())
              .encodeToString(g.generateKeyPair().getPublic().getEncoded());
      return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** YAML {@code overrides} deep-merged over {@code base}. */
  static String merge(String base, String overrides) {
    try {
      ObjectNode a = (ObjectNode) Charts.YAML.readTree(base);
      deepMerge(a, (ObjectNode) Charts.YAML.readTree(overrides));
      return Charts.YAML.writeValueAsString(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deepMerge(ObjectNode into, ObjectNode from) {
    from.properties()
        .forEach(
            e -> {
              if (into.get(e.getKey()) instanceof ObjectNode o
                  && e.getValue() instanceof ObjectNode n) {
                deepMerge(o, n);
              } else {
                into.set(e.getKey(), e.getValue());
              }
            });
  }
}
