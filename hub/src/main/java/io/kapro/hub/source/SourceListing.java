package io.kapro.hub.source;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.api.Durations;
import io.kapro.api.v1alpha2.DiscoveredVersion;
import io.kapro.api.v1alpha2.GitSource;
import io.kapro.api.v1alpha2.HelmSource;
import io.kapro.api.v1alpha2.OciSource;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceSpec;
import io.kapro.hub.kube.TenantSecrets;
import io.kapro.hub.publish.FleetStores;
import io.kapro.hub.publish.StoreLocation;
import io.kapro.hub.webhook.DestinationGuard;
import io.kapro.oci.store.RegistryStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One check's listing of a Source's subscription, whichever it is: an OCI repository's tags, a Helm
 * chart repository's versions ({@code index.yaml} over HTTP(S), or the chart's tags in an OCI
 * registry, where Helm writes {@code +} as {@code _}), or a Git repository's tags or branch head;
 * merged into the bounded history newest first. Every remote read is bounded and timed; every
 * refusal names the field.
 */
final class SourceListing {
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  /**
   * What one check found.
   *
   * @param listed tags, chart versions or refs listed
   * @param ordering the order to judge versions by when the spec's policy cannot (a branch's
   *     commits), else null
   */
  record Listing(int listed, List<DiscoveredVersion> versions, TagPolicy ordering) {}

  private SourceListing() {}

  static Listing list(KubernetesClient client, Source source, TagPolicy policy, Instant now) {
    SourceSpec spec = source.getSpec();
    int set =
        (spec.getOci() != null ? 1 : 0)
            + (spec.getHelm() != null ? 1 : 0)
            + (spec.getGit() != null ? 1 : 0);
    if (set != 1) {
      throw new SourceException(
          "spec: set exactly one of spec.oci, spec.helm or spec.git (the place to watch)");
    }
    if (spec.getOci() != null) {
      return oci(client, source, policy, now);
    }
    if (spec.getHelm() != null) {
      return helm(client, source, policy, now);
    }
    return git(client, source, policy, now);
  }

  private static List<DiscoveredVersion> previous(Source source) {
    return source.getStatus() == null ? null : source.getStatus().getVersions();
  }

  private static int limit(SourceSpec spec) {
    return spec.getHistoryLimit() == null ? 10 : spec.getHistoryLimit();
  }

  private static int maxTags(SourceSpec spec) {
    return spec.getMaxTags() == null ? 10_000 : spec.getMaxTags();
  }

  private static String where(Source source) {
    return "Source " + source.getMetadata().getNamespace() + "/" + source.getMetadata().getName();
  }

  private static Listing oci(
      KubernetesClient client, Source source, TagPolicy policy, Instant now) {
    OciSource oci = source.getSpec().getOci();
    StoreLocation.Registry location =
        registry(
            oci.getUrl(),
            oci.getRepository(),
            Boolean.TRUE.equals(oci.getInsecure()),
            oci.getCredentialsSecretRef() == null ? null : oci.getCredentialsSecretRef().getName(),
            oci.getCaSecretRef() == null ? null : oci.getCaSecretRef().getName(),
            Boolean.TRUE.equals(oci.getAllowPrivateNetwork()));
    try (RegistryStore store =
        FleetStores.openReader(
            client, source.getMetadata().getNamespace(), location, where(source), "spec.oci")) {
      List<String> tags =
          store.listAllTags(
              oci.getRepository(), SourceReconciler.TAG_PAGE, maxTags(source.getSpec()));
      String origin = store.config().host() + "/" + oci.getRepository() + ":";
      List<DiscoveredVersion> versions =
          SourceHistory.merge(
              previous(source),
              policy.select(tags),
              limit(source.getSpec()),
              tag -> store.resolve(oci.getRepository(), tag).map(d -> d.digest()).orElse(null),
              tag -> origin + tag,
              now);
      return new Listing(tags.size(), versions, null);
    }
  }

  private static Listing helm(
      KubernetesClient client, Source source, TagPolicy policy, Instant now) {
    HelmSource helm = source.getSpec().getHelm();
    Duration timeout = timeout(helm.getTimeout(), "spec.helm.timeout");
    String url = helm.getUrl() == null ? "" : helm.getUrl();
    if (url.startsWith("oci://")) {
      return helmOci(client, source, helm, policy, timeout, now);
    }
    HelmRepository.Index index =
        HelmRepository.read(
            client,
            source.getMetadata().getNamespace(),
            helm,
            maxTags(source.getSpec()),
            timeout,
            where(source));
    Map<String, HelmIndex.Entry> byVersion = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (HelmIndex.Entry e : index.entries()) {
      byVersion.put(e.version(), e);
      names.add(e.version());
    }
    List<DiscoveredVersion> versions =
        SourceHistory.merge(
            previous(source),
            policy.select(names),
            limit(source.getSpec()),
            v -> byVersion.get(v).digest(),
            v -> index.origin(byVersion.get(v), helm.getChart()),
            now);
    for (DiscoveredVersion v : versions) {
      HelmIndex.Entry e = byVersion.get(v.getVersion());
      if (v.getPublishedAt() == null && e != null) {
        v.setPublishedAt(e.created());
      }
    }
    return new Listing(names.size(), versions, null);
  }

  /**
   * A chart pushed with {@code helm push chart.tgz oci://host/path}: repository {@code
   * path/<chart>}, one tag per chart version with {@code +} written as {@code _} (OCI tags may not
   * hold a {@code +}).
   */
  private static Listing helmOci(
      KubernetesClient client,
      Source source,
      HelmSource helm,
      TagPolicy policy,
      Duration timeout,
      Instant now) {
    URI u;
    try {
      u = URI.create(helm.getUrl());
    } catch (IllegalArgumentException e) {
      throw new SourceException("spec.helm.url '" + helm.getUrl() + "' is not a URL");
    }
    if (u.getRawAuthority() == null) {
      throw new SourceException("spec.helm.url " + helm.getUrl() + " has no registry host");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("^/+|/+$", "");
    String repository = path.isEmpty() ? helm.getChart() : path + "/" + helm.getChart();
    boolean insecure = Boolean.TRUE.equals(helm.getInsecure());
    StoreLocation.Registry location =
        registry(
            (insecure ? "http://" : "https://") + u.getRawAuthority(),
            repository,
            insecure,
            helm.getCredentialsSecretRef() == null
                ? null
                : helm.getCredentialsSecretRef().getName(),
            helm.getCaSecretRef() == null ? null : helm.getCaSecretRef().getName(),
            Boolean.TRUE.equals(helm.getAllowPrivateNetwork()));
    try (RegistryStore store =
        FleetStores.openReader(
            client,
            source.getMetadata().getNamespace(),
            location,
            where(source),
            "spec.helm",
            timeout)) {
      List<String> tags =
          store.listAllTags(repository, SourceReconciler.TAG_PAGE, maxTags(source.getSpec()));
      Map<String, String> tagOf = new HashMap<>();
      List<String> chartVersions = new ArrayList<>();
      for (String tag : tags) {
        String version = tag.replace('_', '+');
        tagOf.putIfAbsent(version, tag);
        chartVersions.add(version);
      }
      String origin = store.config().host() + "/" + repository + ":";
      List<DiscoveredVersion> versions =
          SourceHistory.merge(
              previous(source),
              policy.select(chartVersions),
              limit(source.getSpec()),
              v -> store.resolve(repository, tagOf.get(v)).map(d -> d.digest()).orElse(null),
              v -> origin + tagOf.get(v),
              now);
      return new Listing(tags.size(), versions, null);
    }
  }

  private static Listing git(
      KubernetesClient client, Source source, TagPolicy policy, Instant now) {
    SourceSpec spec = source.getSpec();
    GitSource git = spec.getGit();
    Duration timeout = timeout(git.getTimeout(), "spec.git.timeout");
    String url = git.getUrl() == null ? "" : git.getUrl();
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new SourceException("spec.git.url '" + url + "' is not a URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    boolean insecure = Boolean.TRUE.equals(git.getInsecure());
    switch (scheme) {
      case "https" -> {}
      case "http", "git" -> {
        if (!insecure) {
          throw new SourceException(
              "spec.git.url "
                  + url
                  + " is not encrypted ("
                  + scheme
                  + "://); set spec.git.insecure: true to allow it, or use https://");
        }
      }
      default ->
          throw new SourceException(
              "spec.git.url "
                  + url
                  + ": the scheme must be https (or http/git with insecure); ssh is not supported"
                  + " yet");
    }
    if (u.getHost() == null) {
      throw new SourceException("spec.git.url " + url + " has no host");
    }
    String refusal =
        DestinationGuard.system(Boolean.TRUE.equals(git.getAllowPrivateNetwork()))
            .refusal(
                u,
                "Git remote",
                "set spec.git.allowPrivateNetwork: true if this remote is meant to be in a private"
                    + " network");
    if (refusal != null) {
      throw new SourceException(where(source) + ": spec.git.url: " + refusal);
    }
    String user = null;
    String password = null;
    if (git.getCredentialsSecretRef() != null) {
      if ("git".equals(scheme)) {
        throw new SourceException(
            "spec.git.credentialsSecretRef: git:// carries no credentials; use https://");
      }
      Secret s =
          FleetStores.namedSecret(
              client,
              source.getMetadata().getNamespace(),
              git.getCredentialsSecretRef().getName(),
              where(source),
              "spec.git.credentialsSecretRef");
      user = TenantSecrets.text(s, "username");
      password = TenantSecrets.text(s, "password");
      if (user == null || password == null) {
        throw new SourceException(
            "spec.git.credentialsSecretRef: Secret "
                + s.getMetadata().getName()
                + " needs keys username and password (a token goes in password)");
      }
    }
    String branch = git.getBranch();
    if (branch != null && !branch.isBlank()) {
      if ((spec.getSemver() != null && !spec.getSemver().isBlank())
          || spec.getFilterTags() != null) {
        throw new SourceException(
            "spec.semver and spec.filterTags are read for tags; with spec.git.branch the version"
                + " is the branch's newest commit: remove them or remove spec.git.branch");
      }
      String ref = branch.startsWith("refs/") ? branch : "refs/heads/" + branch;
      List<GitRefs.RemoteRef> refs = GitRefs.list(url, ref, maxTags(spec), timeout, user, password);
      if (refs.isEmpty()) {
        throw new SourceException(
            "BranchNotFound",
            "spec.git.branch: " + url + " has no branch " + branch + "; check the name");
      }
      String head = refs.get(0).commit();
      List<String> order = new ArrayList<>();
      order.add(head);
      for (DiscoveredVersion v :
          previous(source) == null ? List.<DiscoveredVersion>of() : previous(source)) {
        if (!order.contains(v.getVersion())) {
          order.add(v.getVersion());
        }
      }
      List<TagPolicy.Candidate> candidates = new ArrayList<>();
      order.forEach(c -> candidates.add(new TagPolicy.Candidate(c, c)));
      List<DiscoveredVersion> versions =
          SourceHistory.merge(
              previous(source),
              candidates,
              limit(spec),
              c -> "sha1:" + c,
              c -> url + "@" + ref,
              now);
      return new Listing(
          refs.size(),
          versions,
          TagPolicy.inOrder(versions.stream().map(DiscoveredVersion::getVersion).toList()));
    }
    List<GitRefs.RemoteRef> refs =
        GitRefs.list(url, "refs/tags/*", maxTags(spec), timeout, user, password);
    Map<String, String> commitOf = new HashMap<>();
    List<String> tags = new ArrayList<>();
    for (GitRefs.RemoteRef r : refs) {
      String tag = r.name().substring("refs/tags/".length());
      commitOf.put(tag, r.commit());
      tags.add(tag);
    }
    List<DiscoveredVersion> versions =
        SourceHistory.merge(
            previous(source),
            policy.select(tags),
            limit(spec),
            t -> "sha1:" + commitOf.get(t),
            t -> url + "@refs/tags/" + t,
            now);
    return new Listing(tags.size(), versions, null);
  }

  private static Duration timeout(String text, String field) {
    Duration d;
    try {
      d = Durations.parse(text == null ? "60s" : text);
    } catch (RuntimeException e) {
      throw new SourceException(field + " '" + text + "' is not a Go duration (e.g. 60s)");
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(MAX_TIMEOUT) > 0) {
      throw new SourceException(field + " " + text + " must be between 1s and 10m");
    }
    return d;
  }

  private static StoreLocation.Registry registry(
      String url,
      String repository,
      boolean insecure,
      String credentials,
      String ca,
      boolean allowPrivate) {
    return new StoreLocation.Registry(
        url, repository, insecure, credentials, ca, Set.of(), allowPrivate);
  }
}
