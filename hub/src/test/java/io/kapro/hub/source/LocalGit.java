package io.kapro.hub.source;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Git remote on loopback: a bare repository made and filled by the {@code git} binary (tags
 * by {@code git tag}, commits pushed with {@code git push}), served read-only by {@code git daemon}
 * on 127.0.0.1 ({@code git://}). Closing stops the daemon.
 */
final class LocalGit implements AutoCloseable {
  private final Path root;
  private final Path work;
  private final int port;
  private final Process daemon;

  private LocalGit(Path root, Path work, int port, Process daemon) {
    this.root = root;
    this.work = work;
    this.port = port;
    this.daemon = daemon;
  }

  /** A bare repository {@code name.git} under {@code root} with branch main, and its daemon. */
  static LocalGit start(Path root, String name) throws Exception {
    Path bare = root.resolve(name + ".git");
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
    Path work = root.resolve(name + "-work");
    git(root, "init", "--quiet", "--initial-branch=main", work.toString());
    git(work, "remote", "add", "origin", bare.toString());
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process daemon =
        new ProcessBuilder(
                "git",
                "daemon",
                "--reuseaddr",
                "--export-all",
                "--listen=127.0.0.1",
                "--port=" + port,
                "--base-path=" + root,
                root.toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("daemon.log").toFile())
            .start();
    LocalGit g = new LocalGit(root, work, port, daemon);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
              }
            });
    return g;
  }

  private com.sun.net.httpserver.HttpServer http;

  /**
   * Serves the repositories over smart HTTP too: {@code git http-backend} run as CGI per request,
   * behind HTTP basic authentication with {@code user}/{@code password}; the base URL.
   */
  String serveHttp(String user, String password) throws IOException {
    String want =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    http =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/",
        ex -> {
          try (ex) {
            if (!want.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
              ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
              ex.sendResponseHeaders(401, -1);
              return;
            }
            ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
            var env = pb.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REQUEST_METHOD", ex.getRequestMethod());
            env.put("PATH_INFO", ex.getRequestURI().getPath());
            env.put(
                "QUERY_STRING",
                ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
            env.put("REMOTE_USER", user);
            env.put("REMOTE_ADDR", "127.0.0.1");
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
              env.put("CONTENT_TYPE", type);
            }
            String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
            if (protocol != null) {
              env.put("GIT_PROTOCOL", protocol);
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null) {
              env.put("HTTP_CONTENT_ENCODING", encoding);
            }
            byte[] in = ex.getRequestBody().readAllBytes();
            env.put("CONTENT_LENGTH", Integer.toString(in.length));
            Process p = pb.start();
            p.getOutputStream().write(in);
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            int split = 0;
            while (split + 3 < out.length
                && !(out[split] == '\r'
                    && out[split + 1] == '\n'
                    && out[split + 2] == '\r'
                    && out[split + 3] == '\n')) {
              split++;
            }
            String head = new String(out, 0, split, StandardCharsets.ISO_8859_1);
            int status = 200;
            for (String line : head.split("\r\n")) {
              int colon = line.indexOf(':');
              if (colon < 0) {
                continue;
              }
              String name = line.substring(0, colon).strip();
              String value = line.substring(colon + 1).strip();
              if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
              } else {
                ex.getResponseHeaders().add(name, value);
              }
            }
            byte[] body =
                java.util.Arrays.copyOfRange(out, Math.min(out.length, split + 4), out.length);
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              ex.getResponseBody().write(body);
            }
          }
        });
    http.start();
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** {@code git://127.0.0.1:<port>/<name>.git} */
  String url(String name) {
    return "git://127.0.0.1:" + port + "/" + name + ".git";
  }

  /** An empty commit on main, pushed; its hash. */
  String commit(String message) throws Exception {
    git(work, "commit", "--quiet", "--allow-empty", "-m", message);
    git(work, "push", "--quiet", "origin", "main");
    return git(work, "rev-parse", "HEAD").strip();
  }

  /** {@code git tag} (annotated with a message when given) on HEAD, pushed. */
  void tag(String tag, String annotation) throws Exception {
    if (annotation == null) {
      git(work, "tag", tag);
    } else {
      git(work, "tag", "-a", tag, "-m", annotation);
    }
    git(work, "push", "--quiet", "origin", "refs/tags/" + tag);
  }

  /** {@code count} lightweight tags on HEAD written at once into the bare repository. */
  void floodTags(String bareName, int count) throws Exception {
    String head = git(work, "rev-parse", "HEAD").strip();
    StringBuilder stdin = new StringBuilder();
    for (int i = 0; i < count; i++) {
      stdin.append("create refs/tags/flood-").append(i).append(' ').append(head).append('\n');
    }
    Path bare = root.resolve(bareName + ".git");
    Process p =
        new ProcessBuilder("git", "update-ref", "--stdin")
            .directory(bare.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(stdin.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("git update-ref failed: " + out);
    }
    git(bare, "pack-refs", "--all");
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.add("-c");
    cmd.add("user.name=Kapro Test");
    cmd.add("-c");
    cmd.add("user.email=test@kapro.invalid");
    cmd.add("-c");
    cmd.add("commit.gpgsign=false");
    cmd.add("-c");
    cmd.add("tag.gpgsign=false");
    cmd.addAll(List.of(args));
    Files.createDirectories(dir);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    daemon.descendants().forEach(ProcessHandle::destroy);
    daemon.destroy();
    try {
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      daemon.destroyForcibly();
    }
  }
}
