package io.kapro.cli.kube;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.kapro.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach the API server, read the way kubectl reads it: {@code --kubeconfig} (else the {@code
 * KUBECONFIG} variable, else {@code ~/.kube/config}), {@code --context}, {@code -n/--namespace}
 * (else the context's namespace, else {@code default}).
 */
public final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace of the Kapro objects (default: the context's).")
  String namespace;

  /** Connects; the caller closes the session. */
  public KubeSession open() {
    return open(null);
  }

  /**
   * Connects acting as {@code impersonate} when it is set (kubectl's {@code --as}: the API server
   * checks that the caller may impersonate that user); the caller closes the session.
   */
  public KubeSession open(String impersonate) {
    Config config = config();
    if (impersonate != null) {
      config.setImpersonateUsername(impersonate);
    }
    String ns = namespace != null ? namespace : config.getNamespace();
    if (ns == null || ns.isBlank()) {
      ns = "default";
    }
    if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw CliException.usage(
          "namespace '" + ns + "' is not a valid namespace name",
          "use lower-case letters, digits and '-' (at most 63), e.g. -n team-a");
    }
    NamedContext current = config.getCurrentContext();
    String user =
        current != null && current.getContext() != null ? current.getContext().getUser() : null;
    return new KubeSession(new KubernetesClientBuilder().withConfig(config).build(), ns, user);
  }

  private Config config() {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw CliException.usage(
            "kubeconfig file " + kubeconfig + " does not exist", "check --kubeconfig");
      }
      if (context != null) {
        requireContext(kubeconfig);
      }
      config = Config.fromKubeconfig(context, kubeconfig.toFile());
    } else {
      config = Config.autoConfigure(context);
      if (context != null
          && (config.getCurrentContext() == null
              || !context.equals(config.getCurrentContext().getName()))) {
        throw CliException.usage(
            "context '" + context + "' is not in your kubeconfig",
            "list contexts with: kubectl config get-contexts");
      }
    }
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(10_000);
    return config;
  }

  private void requireContext(Path file) {
    var parsed = KubeConfigUtils.parseConfig(file.toFile());
    boolean known =
        parsed.getContexts() != null
            && parsed.getContexts().stream().anyMatch(c -> context.equals(c.getName()));
    if (!known) {
      throw CliException.usage(
          "context '" + context + "' is not in " + file,
          "list contexts with: kubectl --kubeconfig " + file + " config get-contexts");
    }
  }
}
