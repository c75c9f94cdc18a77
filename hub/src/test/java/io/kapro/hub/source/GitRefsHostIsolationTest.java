package io.kapro.hub.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Git Source's listing depends on its spec alone: a {@code .gitconfig} in the hub's home that
 * turns off TLS verification or rewrites URLs is not read (nor {@code GIT_*} variables).
 */
class GitRefsHostIsolationTest {
  @Test
  void theHostsGitConfigurationIsNotRead(@TempDir Path home) throws Exception {
    Files.writeString(
        home.resolve(".gitconfig"),
        """
        [http]
        \tsslVerify = false
        [url "http://127.0.0.1:1/"]
        \tinsteadOf = https://example.invalid/
        """);
    String before = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      // the file as JGit reads a config file: it would turn TLS verification off
      var file = new FileBasedConfig(home.resolve(".gitconfig").toFile(), FS.DETECTED);
      file.load();
      assertThat(file.getBoolean("http", "sslVerify", true)).isFalse();
      GitRefs.HostIsolatedReader.install();
      var user = SystemReader.getInstance().getUserConfig();
      assertThat(user.getBoolean("http", "sslVerify", true)).isTrue();
      assertThat(user.getSubsections("url")).isEmpty();
      assertThat(SystemReader.getInstance().getSystemConfig().getSections()).isEmpty();
      assertThat(SystemReader.getInstance().getenv("GIT_SSL_NO_VERIFY")).isNull();
      assertThat(SystemReader.getInstance().getenv("PATH")).isEqualTo(System.getenv("PATH"));
      assertThat(SystemReader.getInstance()).isInstanceOf(GitRefs.HostIsolatedReader.class);
    } finally {
      System.setProperty("user.home", before);
    }
  }
}
