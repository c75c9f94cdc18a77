package io.kapro.agent;

import io.kapro.agent.config.AgentConfig;
import io.kapro.agent.config.AgentConfigLoader;
import io.kapro.agent.config.ConfigException;
import io.kapro.agent.config.EnvOverrides;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kapro-agent}: loads the configuration, enrolls or loads credentials, connects to the hub,
 * polls the bundle source and serves health endpoints until SIGTERM.
 *
 * <pre>
 * kapro-agent [--config FILE] [--secret-namespace NS] [--check-config]
 *   --config FILE          YAML configuration (default $KAPRO_CONFIG or /etc/kapro/agent.yaml)
 *   --secret-namespace NS  mirror credentials and the high-water mark in Secrets of NS
 *                          (default $POD_NAMESPACE; in a pod the service account's namespace)
 *   --check-config         validate the configuration and exit
 * env: KAPRO_AGENT_* overrides single settings; KAPRO_BOOTSTRAP_TOKEN the enrollment token.
 * exit codes: 0 stopped, 1 failed to start, 2 invalid configuration or usage
 * </pre>
 */
public final class AgentMain {
  /** Exit code for an invalid configuration or command line. */
  public static final int EXIT_CONFIG = 2;

  /** Exit code for a start-up failure (enrollment refused, state unreadable, port taken). */
  public static final int EXIT_FAILED = 1;

  private AgentMain() {}

  /** Parsed command line. */
  record Args(Path config, Optional<String> secretNamespace, boolean checkOnly) {}

  public static void main(String[] argv) {
    haltOnStop = true;
    io.kapro.agent.health.FatalErrors.install();
    int code = run(argv, System.getenv(), System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs until SIGTERM; returns the exit code when it could not start. */
  private static volatile boolean haltOnStop;

  static int run(String[] argv, Map<String, String> env, PrintStream err) {
    Args args;
    try {
      args = parse(argv, env);
    } catch (IllegalArgumentException e) {
      err.println("kapro-agent: " + e.getMessage());
      err.println(
          "usage: kapro-agent [--config FILE] [--secret-namespace NS] [--check-config]; env "
              + String.join(", ", EnvOverrides.names()));
      return EXIT_CONFIG;
    }
    AgentConfig config;
    try {
      config = AgentConfigLoader.load(args.config(), env);
    } catch (ConfigException e) {
      err.println("kapro-agent: " + e.getMessage());
      return EXIT_CONFIG;
    }
    if (args.checkOnly()) {
      err.println("kapro-agent: configuration " + args.config() + " is valid");
      return 0;
    }
    // the hook first: a SIGTERM while the agent is still starting stops it cleanly too
    java.util.concurrent.atomic.AtomicReference<Agent> started =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentMain.class);
                  try {
                    log.info("stopping");
                    Agent running = started.get();
                    if (running != null) {
                      running.close();
                    }
                    log.info("agent stopped");
                  } catch (Throwable e) {
                    // the stop was asked for: say what did not close (with its stack, so the
                    // defect can be found), and still stop cleanly
                    log.warn("closing the agent failed", e);
                  } finally {
                    stopped.countDown();
                    if (haltOnStop) {
                      Runtime.getRuntime().halt(0); // a graceful stop on SIGTERM exits 0, not 143
                    }
                  }
                },
                "kapro-shutdown"));
    try {
      started.set(
          Agent.start(
              config,
              args.secretNamespace(),
              Optional.ofNullable(env.get("KAPRO_BOOTSTRAP_TOKEN"))));
    } catch (RuntimeException e) {
      haltOnStop = false; // the exit code says the start failed, not the stop
      org.slf4j.LoggerFactory.getLogger(AgentMain.class).error("agent failed to start", e);
      err.println("kapro-agent: failed to start: " + e.getMessage());
      return EXIT_FAILED;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static Args parse(String[] argv, Map<String, String> env) {
    Path config = Path.of(env.getOrDefault("KAPRO_CONFIG", "/etc/kapro/agent.yaml"));
    Optional<String> ns = Optional.ofNullable(env.get("POD_NAMESPACE")).filter(s -> !s.isBlank());
    boolean check = false;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--config" -> config = Path.of(value(argv, ++i, "--config"));
        case "--secret-namespace" -> ns = Optional.of(value(argv, ++i, "--secret-namespace"));
        case "--check-config" -> check = true;
        default -> throw new IllegalArgumentException("unknown argument '" + argv[i] + "'");
      }
    }
    if (ns.isEmpty() && env.containsKey("KUBERNETES_SERVICE_HOST")) {
      ns = serviceAccountNamespace();
    }
    if (ns.isPresent() && !ns.get().matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "--secret-namespace '" + ns.get() + "' is not a namespace name");
    }
    return new Args(config, ns, check);
  }

  private static String value(String[] argv, int i, String flag) {
    if (i >= argv.length || argv[i].startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return argv[i];
  }

  private static Optional<String> serviceAccountNamespace() {
    Path file = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    try {
      return java.nio.file.Files.exists(file)
          ? Optional.of(java.nio.file.Files.readString(file).strip())
          : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
