package io.kapro.agent.tls;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kapro.agent.v1.AgentGatewayGrpc;
import io.kapro.agent.v1.EnrollRequest;
import io.kapro.agent.v1.EnrollResponse;
import io.kapro.agent.v1.RenewRequest;
import io.kapro.agent.v1.RenewResponse;
import io.kapro.oci.sign.Csrs;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the agent's credentials: loads them, enrolls on first start with a bootstrap token, renews
 * at two thirds of the lifetime, and tells listeners (the hub link) when they changed, so the next
 * connection uses them without a restart.
 */
public final class CredentialManager {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialManager.class);
  private static final long CALL_TIMEOUT_SECONDS = 30;

  private final CredentialStore store;
  private final TlsChannels channels;
  private final Clock clock;
  private final String agentVersion;
  private final AtomicReference<AgentCredentials> current = new AtomicReference<>();
  private final List<Consumer<AgentCredentials>> listeners = new CopyOnWriteArrayList<>();

  public CredentialManager(
      CredentialStore store, TlsChannels channels, Clock clock, String agentVersion) {
    this.store = store;
    this.channels = channels;
    this.clock = clock;
    this.agentVersion = agentVersion;
  }

  /**
   * Loads stored credentials that are still valid; otherwise enrolls with {@code bootstrapToken},
   * trusting {@code bootstrapAnchors} for the gateway. Fails with {@code NOT_ENROLLED} when there
   * is neither.
   */
  public AgentCredentials start(
      Optional<String> bootstrapToken, List<X509Certificate> bootstrapAnchors) {
    Optional<AgentCredentials> stored = store.load();
    if (stored.isPresent() && clock.instant().isBefore(stored.get().notAfter())) {
      LOG.info("loaded credentials from {}: {}", store.describe(), stored.get());
      current.set(stored.get());
      return stored.get();
    }
    if (bootstrapToken.isEmpty() || bootstrapToken.get().isBlank()) {
      throw new TlsException(
          TlsException.Reason.NOT_ENROLLED,
          stored.isPresent()
              ? "the certificate in "
                  + store.describe()
                  + " expired at "
                  + stored.get().notAfter()
                  + "; give the agent a new bootstrap token (KAPRO_BOOTSTRAP_TOKEN)"
              : "no credentials in "
                  + store.describe()
                  + " and no bootstrap token; issue one with 'kapro certs bootstrap-token' and set"
                  + " KAPRO_BOOTSTRAP_TOKEN");
    }
    AgentCredentials enrolled = enroll(bootstrapToken.get(), bootstrapAnchors);
    store.save(enrolled);
    current.set(enrolled);
    LOG.info("enrolled: {}", enrolled);
    return enrolled;
  }

  /**
   * Refuses credentials that speak for another cluster than the configured one: the agent would
   * pull one cluster's bundles and report as another (the hub takes the identity from the
   * certificate), which is never what the operator meant.
   *
   * @param expected the configured identity, {@code spiffe://kapro/ns/<ns>/cluster/<name>}
   * @throws TlsException {@code IDENTITY_MISMATCH} naming both identities and the fix
   */
  public void requireIdentity(String expected) {
    AgentCredentials c = current();
    if (!expected.equals(c.identity())) {
      throw new TlsException(
          TlsException.Reason.IDENTITY_MISMATCH,
          "the configured cluster is "
              + expected
              + " but the certificate in "
              + store.describe()
              + " names "
              + (c.identity().isEmpty() ? "no URI SAN" : c.identity())
              + "; fix 'cluster' in the agent configuration, or delete the stored credentials and"
              + " enroll with a bootstrap token issued for "
              + expected);
    }
  }

  private AgentCredentials enroll(String token, List<X509Certificate> anchors) {
    KeyPair pair = Csrs.newKeyPair();
    ManagedChannel channel = channels.bootstrap(anchors);
    try {
      EnrollResponse r =
          AgentGatewayGrpc.newBlockingStub(channel)
              .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .enroll(
                  EnrollRequest.newBuilder()
                      .setBootstrapToken(token)
                      .setAgentVersion(agentVersion)
                      .setCsrDer(ByteString.copyFrom(Csrs.csr(pair)))
                      .build());
      return new AgentCredentials(
          pair.getPrivate(),
          certificates(r.getCertificateChainDerList(), "certificate_chain_der"),
          certificates(r.getTrustAnchorsDerList(), "trust_anchors_der"));
    } catch (StatusRuntimeException e) {
      throw new TlsException(
          TlsException.Reason.ENROLLMENT_REFUSED,
          "the hub refused enrollment: "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription()
              + rootCause(e),
          e);
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * The innermost cause, when the call failed below gRPC (TLS): a certificate the agent found not
   * yet valid or expired means the clocks of hub and agent disagree by more than the hub's 5 minute
   * backdating, and says so. Also used for the hub stream's failures (a TLS handshake that timed
   * out or was reset names itself here, not in the gRPC status).
   */
  public static String rootCause(Throwable e) {
    Throwable root = e;
    boolean validity = false;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      validity |=
          root instanceof java.security.cert.CertificateNotYetValidException
              || root instanceof java.security.cert.CertificateExpiredException;
    }
    if (root == e) {
      return "";
    }
    return " (cause: "
        + root.getClass().getSimpleName()
        + ": "
        + root.getMessage()
        + ")"
        + (validity
            ? "; the hub's certificate is not valid at this agent's time: check that the clocks of"
                + " hub and agent agree (NTP); the hub backdates certificates by 5 minutes"
            : "");
  }

  /** The credentials in use. */
  public AgentCredentials current() {
    AgentCredentials c = current.get();
    if (c == null) {
      throw new TlsException(
          TlsException.Reason.NOT_ENROLLED, "credentials not loaded; call start");
    }
    return c;
  }

  /** Called with the new credentials after every renewal or reload. */
  public void addListener(Consumer<AgentCredentials> listener) {
    listeners.add(listener);
  }

  /**
   * Renews when two thirds of the certificate's lifetime have passed; returns whether it did. A
   * refusal leaves the current credentials in place and is thrown so the caller can report it.
   */
  public boolean renewIfDue() {
    AgentCredentials now = current();
    if (clock.instant().isBefore(now.renewAt())) {
      return false;
    }
    KeyPair pair = Csrs.newKeyPair();
    ManagedChannel channel = channels.mutual(now);
    AgentCredentials renewed;
    try {
      RenewResponse r =
          AgentGatewayGrpc.newBlockingStub(channel)
              .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .renew(
                  RenewRequest.newBuilder().setCsrDer(ByteString.copyFrom(Csrs.csr(pair))).build());
      renewed =
          new AgentCredentials(
              pair.getPrivate(),
              certificates(r.getCertificateChainDerList(), "certificate_chain_der"),
              certificates(r.getTrustAnchorsDerList(), "trust_anchors_der"));
    } catch (StatusRuntimeException e) {
      throw new TlsException(
          TlsException.Reason.RENEWAL_REFUSED,
          "the hub refused renewal: "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription(),
          e);
    } finally {
      channel.shutdownNow();
    }
    if (!renewed.identity().equals(now.identity())) {
      throw new TlsException(
          TlsException.Reason.INVALID_CREDENTIALS,
          "the renewed certificate names " + renewed.identity() + ", not " + now.identity());
    }
    store.save(renewed);
    swap(renewed);
    LOG.info("renewed: {}", renewed);
    return true;
  }

  /** Re-reads the store (for example a Secret rotated by someone else); true when it changed. */
  public boolean reload() {
    Optional<AgentCredentials> stored = store.load();
    if (stored.isEmpty() || stored.get().serial().equals(current().serial())) {
      return false;
    }
    swap(stored.get());
    LOG.info("reloaded credentials: {}", stored.get());
    return true;
  }

  /**
   * Checks every {@code period} whether a renewal is due, and re-reads the store; failures are
   * logged and retried at the next check, the current credentials stay in use meanwhile.
   */
  public java.util.concurrent.ScheduledFuture<?> scheduleRenewal(
      java.util.concurrent.ScheduledExecutorService scheduler, Duration period) {
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            if (!renewIfDue()) {
              reload();
            }
          } catch (RuntimeException e) {
            LOG.warn("credential renewal failed, retrying in {}: {}", period, e.getMessage());
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Time until the next renewal is due (zero when overdue). */
  public Duration untilRenewal() {
    Duration d = Duration.between(clock.instant(), current().renewAt());
    return d.isNegative() ? Duration.ZERO : d;
  }

  private void swap(AgentCredentials next) {
    current.set(next);
    for (Consumer<AgentCredentials> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        LOG.warn("credential listener failed", e);
      }
    }
  }

  private static List<X509Certificate> certificates(List<ByteString> ders, String field) {
    if (ders.isEmpty()) {
      throw new TlsException(TlsException.Reason.INVALID_CREDENTIALS, "the hub sent no " + field);
    }
    List<X509Certificate> result = new ArrayList<>();
    for (ByteString der : ders) {
      result.add(AgentCredentials.certificate(der.toByteArray(), field));
    }
    return result;
  }
}
