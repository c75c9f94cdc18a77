package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.kapro.api.Examples;
import io.kapro.api.v1alpha2.GitSource;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git Sources in the running hub against a real remote on loopback: a bare repository made by the
 * {@code git} binary (tags by {@code git tag}) served by {@code git daemon}; tags by semver
 * (lightweight and annotated, peeled to their commits), a branch's newest commit, a remote that
 * never answers (bounded by spec.git.timeout), one advertising more refs than the cap, and the
 * destination guard.
 */
class GitSourceIT {
  @TempDir Path dir;
  private SourceTestbed bed;
  private LocalGit git;

  @BeforeEach
  void start() throws Exception {
    git = LocalGit.start(dir, "config");
    bed = new SourceTestbed();
  }

  @AfterEach
  void stop() {
    bed.close();
    git.close();
  }

  @Test
  void tagsAreOrderedBySemverAndPeeledToTheirCommits() throws Exception {
    String c1 = git.commit("one");
    git.tag("v1.0.0", null);
    String c2 = git.commit("two");
    git.tag("v1.1.0", "release 1.1.0 (annotated)");
    git.tag("latest", null);
    git.commit("three");
    git.tag("v2.0.0", null);
    bed.source(
        "config",
        spec -> {
          spec.setGit(remote(git.url("config")));
          spec.setSemver("^1");
        });

    SourceStatus s = bed.awaitStatus("config", st -> "v1.1.0".equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).containsExactly("v1.1.0", "v1.0.0");
    assertThat(s.getVersions().get(0).getDigest())
        .as("annotated tag peeled")
        .isEqualTo("sha1:" + c2);
    assertThat(s.getVersions().get(1).getDigest()).isEqualTo("sha1:" + c1);
    assertThat(s.getVersions().get(0).getOrigin())
        .isEqualTo(git.url("config") + "@refs/tags/v1.1.0");
    assertThat(s.getTagsListed()).isEqualTo(4);
    assertThat(SourceTestbed.ready(s).getStatus().name()).isEqualTo("True");
    assertThat(SourceTestbed.ready(s).getMessage()).contains("4 refs listed");

    // a tag made during the run is found at the next check; one outside the constraint is not
    git.commit("four");
    git.tag("v1.2.0", null);
    git.tag("v3.0.0", null);
    bed.checkNow("config");
    s = bed.awaitStatus("config", st -> "v1.2.0".equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).doesNotContain("v2.0.0", "v3.0.0");
    assertThat(s.getAvailable()).containsExactly("v1.2.0", "v1.1.0", "v1.0.0");
  }

  @Test
  void aBranchIsFollowedByItsNewestCommit() throws Exception {
    String c1 = git.commit("one");
    bed.source(
        "main",
        spec -> {
          GitSource g = remote(git.url("config"));
          g.setBranch("main");
          spec.setGit(g);
        });
    SourceStatus s = bed.awaitStatus("main", st -> c1.equals(st.getLatest()));
    assertThat(s.getVersions().get(0).getDigest()).isEqualTo("sha1:" + c1);
    assertThat(s.getVersions().get(0).getOrigin())
        .isEqualTo(git.url("config") + "@refs/heads/main");

    String c2 = git.commit("two");
    bed.checkNow("main");
    s = bed.awaitStatus("main", st -> c2.equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).containsExactly(c2, c1);
    assertThat(s.getAvailable()).as("nothing proven yet: both available").containsExactly(c2, c1);

    bed.source(
        "gone",
        spec -> {
          GitSource g = remote(git.url("config"));
          g.setBranch("no-such-branch");
          spec.setGit(g);
        });
    s = bed.awaitReason("gone", "BranchNotFound");
    assertThat(SourceTestbed.ready(s).getMessage()).contains("spec.git.branch");
  }

  @Test
  void aRemoteThatNeverAnswersIsCutAtTheTimeoutAndTheHubCarriesOn() throws Exception {
    git.commit("one");
    git.tag("v1.0.0", null);
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accept =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        held.add(silent.accept()); // accepted, never answered
                      }
                    } catch (java.io.IOException closed) {
                      // test over
                    }
                  });
      bed.source(
          "silent",
          spec -> {
            GitSource g = remote("git://127.0.0.1:" + silent.getLocalPort() + "/config.git");
            g.setTimeout("2s");
            spec.setGit(g);
          });
      SourceStatus s = bed.awaitReason("silent", "SourceUnavailable");
      assertThat(SourceTestbed.ready(s).getStatus().name()).isEqualTo("False");
      assertThat(SourceTestbed.ready(s).getMessage()).contains("spec.git");
      assertThat(s.getVersions()).isNull();
      // the hub keeps running: a Source on the real remote is checked as usual
      bed.source("config", spec -> spec.setGit(remote(git.url("config"))));
      bed.awaitStatus("config", st -> "v1.0.0".equals(st.getLatest()));
      silent.close();
      accept.join();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    int closed = freePort();
    bed.source("refused", spec -> spec.setGit(remote("git://127.0.0.1:" + closed + "/config.git")));
    SourceStatus refused = bed.awaitReason("refused", "SourceUnavailable");
    assertThat(SourceTestbed.ready(refused).getMessage()).contains("spec.git.url");
  }

  @Test
  void aRemoteAdvertisingMoreRefsThanTheCapIsRefusedNotTruncated() throws Exception {
    git.commit("one");
    git.tag("v1.0.0", null);
    git.floodTags("config", 10_050);
    bed.source("flood", spec -> spec.setGit(remote(git.url("config"))));
    SourceStatus s = bed.awaitReason("flood", "TooManyTags");
    assertThat(SourceTestbed.ready(s).getMessage())
        .contains("more than 10000 refs")
        .contains("spec.maxTags");
  }

  @Test
  void theExampleManifestRunsAgainstALoopbackRemote() throws Exception {
    git.commit("one");
    git.tag("v1.0.0", null);
    git.commit("two");
    git.tag("v1.3.0", "annotated");
    git.tag("v2.0.0", null);
    Source example =
        (Source)
            Examples.typed(
                Examples.read(Examples.repoRoot().resolve("examples/sources/git-source.yaml"))
                    .get(0)
                    .object());
    // where the remote is changes (loopback git://, which carries no credentials, so the
    // example's credentialsSecretRef goes; credentials over http: a GitSourceIT case below)
    example.getSpec().getGit().setUrl(git.url("config"));
    example.getSpec().getGit().setInsecure(true);
    example.getSpec().getGit().setAllowPrivateNetwork(true);
    example.getSpec().getGit().setCredentialsSecretRef(null);
    bed.client.resource(example).inNamespace("default").create();
    SourceStatus s = bed.awaitStatus("web-config", st -> "v1.3.0".equals(st.getLatest()));
    assertThat(s.getVersions()).extracting(v -> v.getVersion()).containsExactly("v1.3.0", "v1.0.0");
  }

  @Test
  void credentialsForSmartHttpComeFromASecret() throws Exception {
    git.commit("one");
    git.tag("v1.0.0", null);
    String base = git.serveHttp("reader", "t0ken");
    bed.client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("git-reader")
                .endMetadata()
                .withType("kubernetes.io/basic-auth")
                .withStringData(java.util.Map.of("username", "reader", "password", "t0ken"))
                .build())
        .inNamespace("default")
        .create();
    bed.source("anonymous", spec -> spec.setGit(remote(base + "/config.git")));
    SourceStatus denied = bed.awaitReason("anonymous", "SourceUnavailable");
    assertThat(SourceTestbed.ready(denied).getMessage()).contains("spec.git.url");
    bed.source(
        "reader",
        spec -> {
          GitSource g = remote(base + "/config.git");
          io.kapro.api.v1alpha2.SecretRef ref = new io.kapro.api.v1alpha2.SecretRef();
          ref.setName("git-reader");
          g.setCredentialsSecretRef(ref);
          spec.setGit(g);
        });
    bed.awaitStatus("reader", st -> "v1.0.0".equals(st.getLatest()));
  }

  @Test
  void privateAndUnencryptedRemotesAreRefusedUnlessAllowed() {
    bed.source(
        "private",
        spec -> {
          GitSource g = remote(git.url("config"));
          g.setAllowPrivateNetwork(false);
          spec.setGit(g);
        });
    SourceStatus s = bed.awaitReason("private", "InvalidSpec");
    assertThat(SourceTestbed.ready(s).getMessage())
        .contains("spec.git.url")
        .contains("private address")
        .contains("spec.git.allowPrivateNetwork");
    bed.source(
        "plain",
        spec -> {
          GitSource g = remote(git.url("config"));
          g.setInsecure(false);
          spec.setGit(g);
        });
    s = bed.awaitReason("plain", "InvalidSpec");
    assertThat(SourceTestbed.ready(s).getMessage()).contains("spec.git.insecure: true");
  }

  private static GitSource remote(String url) {
    GitSource g = new GitSource();
    g.setUrl(url);
    g.setInsecure(true);
    g.setAllowPrivateNetwork(true);
    g.setTimeout("10s");
    return g;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
