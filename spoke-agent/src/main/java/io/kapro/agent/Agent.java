package io.kapro.agent;

import io.kapro.agent.apply.BundleApplier;
import io.kapro.agent.apply.ConvergenceJudge;
import io.kapro.agent.apply.LocalObjects;
import io.kapro.agent.bundle.AllowListPolicy;
import io.kapro.agent.bundle.AppliedBundleFile;
import io.kapro.agent.bundle.BundleSources;
import io.kapro.agent.bundle.FileHighWaterMarkStore;
import io.kapro.agent.bundle.HighWaterMarkStore;
import io.kapro.agent.bundle.MirroredHighWaterMarkStore;
import io.kapro.agent.bundle.PullLoop;
import io.kapro.agent.bundle.PullOptions;
import io.kapro.agent.bundle.PullState;
import io.kapro.agent.bundle.SecretHighWaterMarkStore;
import io.kapro.agent.config.AgentConfig;
import io.kapro.agent.evidence.EvidenceArtifactWriter;
import io.kapro.agent.evidence.FileOutbox;
import io.kapro.agent.health.AgentMetrics;
import io.kapro.agent.health.HealthServer;
import io.kapro.agent.health.Readiness;
import io.kapro.agent.inventory.InventoryCollector;
import io.kapro.agent.inventory.InventoryReporter;
import io.kapro.agent.kube.KubeClient;
import io.kapro.agent.kube.KubeConfig;
import io.kapro.agent.link.HubClient;
import io.kapro.agent.link.HubClientOptions;
import io.kapro.agent.link.HubListener;
import io.kapro.agent.tls.CredentialManager;
import io.kapro.agent.tls.CredentialStore;
import io.kapro.agent.tls.FileCredentialStore;
import io.kapro.agent.tls.MirroredCredentialStore;
import io.kapro.agent.tls.SecretCredentialStore;
import io.kapro.agent.tls.SignerMaterial;
import io.kapro.agent.tls.TlsChannels;
import io.kapro.oci.mirror.RepositoryKind;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.verify.BundleVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The running agent, wired from its configuration: credentials (enrollment, renewal), the hub link,
 * the pull loop, the health server. {@link #close()} stops it in reverse order.
 */
public final class Agent implements AutoCloseable {
  /** The agent's version, sent in hello and enrollment. */
  public static final String VERSION = "0.1.0";

  /** Name of the Secrets the agent keeps in its namespace. */
  public static final String CREDENTIALS_SECRET = "kapro-agent-credentials";

  /** Name of the Secret holding the high-water mark. */
  public static final String STATE_SECRET = "kapro-agent-state";

  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private PullLoop loop;
  private HealthServer health;
  private HubClient hub;
  private AgentMetrics metrics;

  private Agent() {}

  /**
   * Starts an agent.
   *
   * @param config the validated configuration
   * @param secretNamespace where to mirror credentials and the high-water mark in Secrets, if any
   * @param bootstrapToken the enrollment token when not in {@code bootstrapTokenFile}
   */
  public static Agent start(
      AgentConfig config, Optional<String> secretNamespace, Optional<String> bootstrapToken) {
    return start(config, secretNamespace, bootstrapToken, null);
  }

  /**
   * Starts an agent that talks to its cluster through {@code client} (the caller keeps and closes
   * it), e.g. the local fleet demo running many agents in one process; {@code null} builds one from
   * the environment (kubeconfig or service account: {@link KubeConfig}) as {@link
   * #start(AgentConfig, Optional, Optional)} does.
   */
  public static Agent start(
      AgentConfig config,
      Optional<String> secretNamespace,
      Optional<String> bootstrapToken,
      KubeClient client) {
    Agent agent = new Agent();
    try {
      agent.wire(config, secretNamespace, bootstrapToken, client);
      return agent;
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  private void wire(
      AgentConfig config, Optional<String> secretNs, Optional<String> token, KubeClient given) {
    Clock clock = Clock.systemUTC();
    String cluster = config.cluster().toString();
    MDC.put("cluster", cluster);
    metrics = new AgentMetrics();
    Readiness readiness = new Readiness();
    io.kapro.agent.health.Liveness liveness = new io.kapro.agent.health.Liveness();
    health = HealthServer.start(config.health(), readiness, metrics, liveness);
    resources.add(health);
    KubeClient client = given != null ? given : new KubeClient(KubeConfig.fromEnvironment());
    if (given == null) {
      resources.add(client);
    }

    List<CredentialStore> credStores = new ArrayList<>();
    credStores.add(new FileCredentialStore(config.stateDir()));
    List<HighWaterMarkStore> markStores = new ArrayList<>();
    markStores.add(new FileHighWaterMarkStore(config.stateDir()));
    secretNs.ifPresent(
        ns -> {
          credStores.add(new SecretCredentialStore(client, ns, CREDENTIALS_SECRET));
          markStores.add(new SecretHighWaterMarkStore(client, ns, STATE_SECRET));
        });
    TlsChannels channels = new TlsChannels(config.hub().host(), config.hub().port(), null);
    CredentialManager credentials =
        new CredentialManager(new MirroredCredentialStore(credStores), channels, clock, VERSION);
    credentials.start(token(config, token), anchors(config));
    credentials.requireIdentity(config.cluster().spiffeId());
    ScheduledExecutorService renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kapro-renewal").unstarted(r));
    resources.add(renewals::shutdownNow);
    credentials.scheduleRenewal(renewals, Duration.ofMinutes(5));

    FileOutbox outbox = FileOutbox.open(config.stateDir().resolve("outbox"));
    resources.add(outbox);
    metrics.outboxDepth(outbox::depth);

    BundleSources.Opened source = BundleSources.open(config.bundleSource(), config.cluster());
    resources.add(source.store());
    BundleVerifier verifier =
        BundleVerifier.builder(trustedKeys(config), config.cluster())
            .clock(clock)
            .patchPolicy(new AllowListPolicy(config.allowList()))
            .build();
    HighWaterMarkStore marks = new MirroredHighWaterMarkStore(markStores);
    AppliedBundleFile appliedFile = new AppliedBundleFile(config.stateDir());
    PullState state = PullLoop.loadState(marks, appliedFile, clock);
    LOG.info("high-water mark: sequence {} {}", state.mark().sequence(), state.mark().digest());
    if (state.mark().sequence() == 0 && config.evidenceSink().isEmpty()) {
      // no mark stored (first start, or state lost): apply nothing before the hub told the floor
      state.awaitFloor();
    }

    AtomicReference<PullLoop> loopRef = new AtomicReference<>();
    HubListener listener =
        new HubListener() {
          @Override
          public void onBundleAvailable(long sequence, String digest) {
            PullLoop l = loopRef.get();
            if (l != null) {
              l.nudge(sequence, digest);
            }
          }

          @Override
          public void onSettings(io.kapro.agent.v1.Settings settings) {
            PullLoop l = loopRef.get();
            if (l != null) {
              l.hubFloor(settings.getMinBundleSequence());
            }
          }

          @Override
          public void onDisconnected(io.grpc.Status status) {
            metrics.reconnect();
          }
        };
    hub =
        new HubClient(
            () -> channels.mutual(credentials.current()),
            outbox,
            state,
            listener,
            HubClientOptions.defaults(VERSION, capabilities(config)));
    resources.add(hub);
    credentials.addListener(c -> hub.reconnect());

    config
        .evidenceSink()
        .ifPresent(
            sink -> {
              Supplier<SignerMaterial> signer;
              if (sink.credentialsFile().isPresent()) {
                SignerMaterial fixed = SignerMaterial.read(sink.credentialsFile().get());
                signer = () -> fixed;
              } else {
                signer = () -> SignerMaterial.of(credentials.current());
              }
              String repo = RepositoryKind.evidenceRepository(source.repository());
              EvidenceArtifactWriter writer =
                  new EvidenceArtifactWriter(
                      outbox, source.store(), repo, config.cluster(), signer, clock);
              resources.add(writer);
              writer.start(sink.interval());
              LOG.info(
                  "disconnected mode: evidence written to {} {} every {}",
                  source.store().location(),
                  repo,
                  sink.interval());
            });

    RandomGenerator random = RandomGenerator.getDefault();
    loop =
        new PullLoop(
            source.store(),
            verifier,
            new BundleApplier(client, config.allowList(), clock),
            new ConvergenceJudge(new LocalObjects(client)),
            marks,
            appliedFile,
            state,
            hub::report,
            metrics,
            readiness,
            PullOptions.of(source.repository(), () -> config.nextPollDelay(random)),
            cluster);
    loop.onEvidenceFloor(
        n -> {
          try {
            if (outbox.continueAbove(n)) {
              LOG.warn(
                  "the hub holds evidence up to {} (carried in the bundle); numbering continues"
                      + " above it",
                  n);
            }
          } catch (RuntimeException e) {
            LOG.error(
                "could not continue evidence numbering above the hub's {}: {}", n, e.toString());
          }
        });
    loopRef.set(loop);
    resources.add(loop);
    PullLoop watched = loop;
    Duration budget = watchdogBudget(config);
    liveness.watch(io.kapro.agent.health.Liveness.PULL_LOOP, () -> watched.stalled(budget));
    InventoryReporter inventory =
        new InventoryReporter(
            new InventoryCollector(client, config.allowList()),
            () ->
                appliedFile
                    .load()
                    .map(
                        b ->
                            b.units().stream()
                                .map(io.kapro.oci.bundle.BundleUnit::object)
                                .collect(java.util.stream.Collectors.toSet()))
                    .orElse(java.util.Set.of()),
            hub::inventory,
            clock);
    resources.add(inventory);
    hub.start();
    loop.start();
    inventory.start(config.pollInterval());
    readiness.configLoaded();
    LOG.info(
        "agent {} started for {}: hub {}, bundles from {} {}, poll every {}",
        VERSION,
        cluster,
        config.hub().address(),
        source.store().location(),
        source.repository(),
        config.pollInterval());
  }

  /**
   * How long a poll may run, or a due poll wait, before {@code /healthz} fails: ten registry
   * request deadlines (a poll makes a handful of bounded requests), at least two minutes.
   */
  static Duration watchdogBudget(AgentConfig config) {
    Duration perRequest =
        config.bundleSource() instanceof io.kapro.agent.config.BundleSource.Registry r
            ? r.requestTimeout()
            : io.kapro.oci.store.RegistryConfig.DEFAULT_REQUEST_TIMEOUT;
    Duration ten = perRequest.multipliedBy(10);
    return ten.compareTo(Duration.ofMinutes(2)) < 0 ? Duration.ofMinutes(2) : ten;
  }

  private static List<String> capabilities(AgentConfig config) {
    List<String> caps = new ArrayList<>(List.of("flux", "argocd", "layout-source"));
    if (config.evidenceSink().isPresent()) {
      caps.add("evidence-artifacts");
    }
    return caps;
  }

  private static Optional<String> token(AgentConfig config, Optional<String> fromEnv) {
    if (config.bootstrapTokenFile().isPresent()
        && Files.exists(config.bootstrapTokenFile().get())) {
      try {
        return Optional.of(Files.readString(config.bootstrapTokenFile().get()).strip());
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read bootstrapTokenFile " + config.bootstrapTokenFile().get() + ": " + e, e);
      }
    }
    return fromEnv.map(String::strip).filter(s -> !s.isEmpty());
  }

  private static List<X509Certificate> anchors(AgentConfig config) {
    if (config.hub().caFile().isEmpty()) {
      return List.of();
    }
    Path file = config.hub().caFile().get();
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException(
          "hub.caFile " + file + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  private static TrustedKeys trustedKeys(AgentConfig config) {
    StringBuilder pem = new StringBuilder();
    for (Path p : config.trustedKeys()) {
      try {
        pem.append(Files.readString(p)).append('\n');
      } catch (IOException e) {
        throw new IllegalStateException("cannot read trusted key " + p + ": " + e, e);
      }
    }
    return TrustedKeys.fromPem(pem.toString(), "trustedKeys");
  }

  /** The pull loop (for tests and the benchmark). */
  public PullLoop loop() {
    return loop;
  }

  /** The health server's port. */
  public int healthPort() {
    return health.port();
  }

  /** Stops everything, newest first. */
  @Override
  public void close() {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
    }
    resources.clear();
  }
}
