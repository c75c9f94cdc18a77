package io.kapro.hub.source;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.v1alpha2.HelmSource;
import io.kapro.hub.kube.TenantSecrets;
import io.kapro.hub.publish.FleetStores;
import io.kapro.hub.webhook.DestinationGuard;
import io.kapro.oci.OciException;
import io.kapro.oci.store.HttpFiles;
import io.kapro.oci.store.RegistryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A Helm chart repository served over HTTP(S): its {@code index.yaml} fetched under the registry
 * rules (destination guard, TLS trust from {@code caSecretRef}, basic credentials from {@code
 * credentialsSecretRef} keys {@code username}/{@code password}, one deadline, a byte limit of
 * {@value HelmIndex#MAX_BYTES} checked before it is read) and parsed by {@link HelmIndex}.
 */
final class HelmRepository {
  private HelmRepository() {}

  /** What the index says of the chart, and where its archives are. */
  record Index(URI index, List<HelmIndex.Entry> entries) {
    /** The archive's URL (a relative one resolved against the repository, as Helm does). */
    String origin(HelmIndex.Entry e, String chart) {
      if (e.urls().isEmpty()) {
        return index + "#" + chart + "-" + e.version();
      }
      try {
        return index.resolve(e.urls().get(0)).toString();
      } catch (IllegalArgumentException bad) {
        return e.urls().get(0);
      }
    }
  }

  static Index read(
      KubernetesClient client,
      String namespace,
      HelmSource helm,
      int maxVersions,
      Duration timeout,
      String where) {
    URI base;
    try {
      base = URI.create(helm.getUrl());
    } catch (IllegalArgumentException e) {
      throw new SourceException("spec.helm.url '" + helm.getUrl() + "' is not a URL");
    }
    boolean plain = "http".equals(base.getScheme());
    if (plain && !Boolean.TRUE.equals(helm.getInsecure())) {
      throw new SourceException(
          "spec.helm.url "
              + helm.getUrl()
              + " is plain HTTP; set spec.helm.insecure: true to allow it, or use https://");
    }
    if (base.getAuthority() == null || base.getHost() == null) {
      throw new SourceException("spec.helm.url " + helm.getUrl() + " has no host");
    }
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    URI index =
        URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "/index.yaml");
    RegistryConfig.Credentials credentials = new RegistryConfig.Credentials.None();
    if (helm.getCredentialsSecretRef() != null) {
      Secret s =
          FleetStores.namedSecret(
              client,
              namespace,
              helm.getCredentialsSecretRef().getName(),
              where,
              "spec.helm.credentialsSecretRef");
      String user = TenantSecrets.text(s, "username");
      String password = TenantSecrets.text(s, "password");
      if (user == null || password == null) {
        throw new SourceException(
            "spec.helm.credentialsSecretRef: Secret "
                + s.getMetadata().getName()
                + " needs keys username and password (a token goes in password)");
      }
      credentials = new RegistryConfig.Credentials.Basic(user, password);
    }
    Path ca =
        helm.getCaSecretRef() == null
            ? null
            : FleetStores.caFile(
                client, namespace, helm.getCaSecretRef().getName(), where, "spec.helm.caSecretRef");
    RegistryConfig config;
    try {
      config =
          new RegistryConfig(base.getRawAuthority(), plain, credentials, ca, Set.of(), timeout);
    } catch (OciException e) {
      throw new SourceException("spec.helm: " + e.getMessage());
    }
    FleetStores.guard(
        DestinationGuard.system(Boolean.TRUE.equals(helm.getAllowPrivateNetwork())),
        config,
        where,
        "spec.helm");
    byte[] body;
    try {
      body = new HttpFiles(config).get(index, HelmIndex.MAX_BYTES, "index.yaml");
    } catch (OciException e) {
      if (e.reason() == OciException.Reason.TOO_LARGE) {
        throw new SourceException(
            "IndexTooLarge",
            "spec.helm.url: "
                + index
                + " is larger than "
                + HelmIndex.MAX_BYTES
                + " bytes; refused before it was read (split the repository, or serve the chart"
                + " from an OCI registry)");
      }
      boolean auth =
          e.reason() == OciException.Reason.AUTH_FAILED
              || e.reason() == OciException.Reason.FORBIDDEN;
      throw new SourceException(
          "SourceUnavailable",
          "spec.helm.url: "
              + e.getMessage()
              + (auth ? " (the credentials come from spec.helm.credentialsSecretRef)" : ""));
    }
    return new Index(
        index,
        HelmIndex.entries(
            body, helm.getChart(), maxVersions, "spec.helm.url: " + index.toString()));
  }
}
