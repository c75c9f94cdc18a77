package io.kapro.hub.source;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * The refs a Git remote advertises under one prefix, read as {@code git ls-remote} does (JGit's
 * transport: the ref advertisement only, no objects fetched, nothing written to disk). With
 * protocol v2 the prefix is sent to the server ({@code ls-refs ref-prefix}); a server that ignores
 * it is still counted against the cap. Every listing has one deadline: each network read times out
 * on its own, and the caller stops waiting at the deadline whatever the remote does.
 */
final class GitRefs {
  /** Listings running at once (a slow remote holds one thread until its reads time out). */
  private static final int THREADS = 4;

  private static final ExecutorService POOL =
      new ThreadPoolExecutor(
          THREADS,
          THREADS,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(64),
          r -> {
            Thread t = new Thread(r, "kapro-git-refs");
            t.setDaemon(true);
            return t;
          });

  static {
    ((ThreadPoolExecutor) POOL).allowCoreThreadTimeOut(true);
    HostIsolatedReader.install();
  }

  /**
   * JGit reads the host's Git configuration ({@code ~/.gitconfig}, {@code /etc/gitconfig}, the XDG
   * file) and {@code GIT_*} variables: a file left in the hub's image or home could turn off TLS
   * verification ({@code http.sslVerify=false}, {@code GIT_SSL_NO_VERIFY}), add a proxy, cookies or
   * URL rewrites to every Source's listing. A Source's listing depends on its spec alone: the hub
   * gives JGit empty configurations and no {@code GIT_*} variables (JGit is used by nothing else in
   * the hub).
   */
  static final class HostIsolatedReader extends SystemReader.Delegate {
    private HostIsolatedReader(SystemReader delegate) {
      super(delegate);
    }

    static synchronized void install() {
      if (!(SystemReader.getInstance() instanceof HostIsolatedReader)) {
        SystemReader.setInstance(new HostIsolatedReader(SystemReader.getInstance()));
      }
    }

    @Override
    public String getenv(String name) {
      return name.startsWith("GIT_") || name.startsWith("XDG_") ? null : super.getenv(name);
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
      return empty(parent, fs);
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
      return empty(parent, fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
      return empty(parent, fs);
    }

    private static FileBasedConfig empty(Config parent, FS fs) {
      return new FileBasedConfig(parent, null, fs) {
        @Override
        public void load() {} // nothing is read from the host

        @Override
        public boolean isOutdated() {
          return false;
        }

        @Override
        public void save() throws IOException {
          throw new IOException("the hub does not write Git configuration");
        }
      };
    }
  }

  /** A ref and the commit it points to (an annotated tag peeled). */
  record RemoteRef(String name, String commit) {}

  private GitRefs() {}

  /**
   * @param refSpec {@code refs/tags/*} or {@code refs/heads/<branch>}
   * @param maxRefs more refs advertised than this is refused ({@code TooManyTags})
   * @param username with {@code password}: HTTP basic credentials, or null
   */
  static List<RemoteRef> list(
      String url, String refSpec, int maxRefs, Duration timeout, String username, String password) {
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new SourceException("spec.git.url '" + url + "' is not a Git URL");
    }
    Future<List<RemoteRef>> f;
    try {
      f = POOL.submit(() -> listNow(uri, refSpec, maxRefs, timeout, username, password));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new SourceException(
          "SourceUnavailable",
          "spec.git.url: too many Git listings waiting (remotes that do not answer); retried at"
              + " the next interval");
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new SourceException(
          "SourceUnavailable",
          "spec.git.url: "
              + url
              + " did not list its refs within spec.git.timeout "
              + io.kapro.api.Durations.format(timeout)
              + "; check the URL, the network path and the server");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new SourceException("SourceUnavailable", "spec.git.url: interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SourceException se) {
        throw se;
      }
      throw new SourceException(
          "SourceUnavailable",
          "spec.git.url: "
              + url
              + ": "
              + firstLine(e.getCause())
              + (username == null ? "" : " (check spec.git.credentialsSecretRef)")
              + "; retried at the next interval");
    }
  }

  private static List<RemoteRef> listNow(
      URIish uri, String refSpec, int maxRefs, Duration timeout, String username, String password)
      throws Exception {
    try (Transport t = Transport.open(uri)) {
      t.setTimeout((int) Math.max(1, timeout.toSeconds()));
      if (username != null) {
        CredentialsProvider cp = new UsernamePasswordCredentialsProvider(username, password);
        t.setCredentialsProvider(cp);
      }
      try (FetchConnection c =
          t.openFetch(
              List.of(new RefSpec(refSpec.endsWith("*") ? refSpec + ":" + refSpec : refSpec)))) {
        var refs = c.getRefs();
        if (refs.size() > maxRefs) {
          throw new SourceException(
              "TooManyTags",
              "spec.git.url: "
                  + uri
                  + " advertises more than "
                  + maxRefs
                  + " refs under "
                  + refSpec
                  + " (spec.maxTags); refused, not truncated: raise spec.maxTags");
        }
        String prefix = refSpec.endsWith("*") ? refSpec.substring(0, refSpec.length() - 1) : null;
        List<RemoteRef> out = new ArrayList<>();
        for (Ref r : refs) {
          boolean wanted =
              prefix == null ? r.getName().equals(refSpec) : r.getName().startsWith(prefix);
          if (!wanted) {
            continue;
          }
          ObjectId id = r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId();
          if (id != null) {
            out.add(new RemoteRef(r.getName(), id.name()));
          }
        }
        return out;
      }
    } catch (NotSupportedException e) {
      throw new SourceException("spec.git.url: " + uri + ": " + e.getMessage());
    }
  }

  private static String firstLine(Throwable t) {
    String m = t == null ? "" : t.getMessage();
    if (m == null || m.isBlank()) {
      m = t == null ? "" : t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    m = (nl < 0 ? m : m.substring(0, nl)).strip();
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
