package io.kapro.hub.events.inbound;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kapro.hub.events.Signatures;
import io.kapro.hub.events.inbound.InboundException.Reason;
import io.kapro.hub.kube.TenantSecrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates an inbound event against the namespace's Secret {@value #SECRET}: header {@code
 * Authorization: Bearer <token>} matching key {@value #TOKEN}, or {@link Signatures#HEADER} made
 * with key {@value #HMAC} over {@code <t>.<namespace>.<ce-id>.<body>} (the outbound scheme with the
 * namespace bound in, so a signed request cannot be replayed into another namespace). Every failure
 * is the same 401, so a caller learns nothing about which namespaces are set up.
 */
final class InboundAuth {
  private static final Logger LOG = LoggerFactory.getLogger(InboundAuth.class);

  static final String SECRET = "kapro-inbound";
  static final String TOKEN = "token";
  static final String HMAC = "hmac";

  private final KubernetesClient client;
  private final Clock clock;

  InboundAuth(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void check(String ns, Function<String, String> header, String id, byte[] body) {
    Secret secret;
    try {
      secret = TenantSecrets.read(client, ns, SECRET);
    } catch (TenantSecrets.Forbidden e) {
      LOG.warn("inbound event for namespace {} refused: {}", ns, e.getMessage());
      secret = null;
    }
    String authorization = header.apply("authorization");
    String signature = header.apply(Signatures.HEADER);
    boolean ok = false;
    if (secret != null && authorization != null && authorization.startsWith("Bearer ")) {
      byte[] want = TenantSecrets.bytes(secret, TOKEN);
      byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      ok = want != null && want.length > 0 && MessageDigest.isEqual(want, given);
    } else if (secret != null && signature != null) {
      byte[] key = TenantSecrets.bytes(secret, HMAC);
      ok =
          key != null
              && Signatures.verify(
                  key, signature, ns + "." + id, body, clock.instant().getEpochSecond());
    }
    if (!ok) {
      throw new InboundException(
          Reason.UNAUTHENTICATED,
          "not authenticated: send Authorization: Bearer <token> or a valid "
              + Signatures.HEADER
              + " (t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<namespace>.<ce-id>.<body>\">)");
    }
  }
}
