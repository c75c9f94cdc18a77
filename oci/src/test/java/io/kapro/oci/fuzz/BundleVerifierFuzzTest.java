package io.kapro.oci.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.sign.SignedBundle;
import io.kapro.oci.sign.SigningKey;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.testing.TestBundles;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.VerifiedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Fuzzes {@link BundleVerifier#verify} with one piece of a genuine signed bundle replaced by fuzzed
 * bytes, served by a store that lies like a hostile mirror.
 *
 * <p>Input: one selector byte, then the replacement bytes. Selector bits 0-1 pick the piece (0 the
 * bundle manifest, served under its own digest and tag {@code desired}; 1 the payload layer, served
 * under the genuine layer digest; 2 the signature manifest, at the signature tag of whatever
 * manifest is served; 3 the simple-signing payload, served under the genuine payload digest); bit 2
 * removes the signature; bits 3-4 pick the high-water mark (0, 41, 42, 1000; the genuine sequence
 * is 42).
 *
 * <p>Invariants: only {@link OciException} escapes; nothing is accepted without its signature, or
 * at or below the high-water mark; what is accepted is exactly the genuine bundle; no read asks for
 * more than the configured limits.
 */
class BundleVerifierFuzzTest {
  static final String REPO = "kapro/team-a/edge-1";
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final long SEQUENCE = 42;
  static final long MAX_MANIFEST = 16 * 1024;
  static final long MAX_PAYLOAD = 64 * 1024;

  /** A fixed test key (test resources only), so committed signature inputs keep verifying. */
  static final SigningKey KEY = fixedKey();

  static final SignedBundle GENUINE =
      SignedBundle.sign(
          TestBundles.payload("team-a", "edge-1", SEQUENCE, NOW, Duration.ofHours(1)), KEY, REPO);
  static final BundleVerifier VERIFIER =
      BundleVerifier.builder(
              TrustedKeys.of(KEY.publicKey()), new ClusterIdentity("team-a", "edge-1"))
          .clock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC))
          .maxManifestBytes(MAX_MANIFEST)
          .maxPayloadBytes(MAX_PAYLOAD)
          .build();
  static final long[] HIGH_WATER_MARKS = {0, SEQUENCE - 1, SEQUENCE, 1000};

  private static SigningKey fixedKey() {
    try (InputStream in =
        BundleVerifierFuzzTest.class.getResourceAsStream("fuzz-signing-key.pem")) {
      return SigningKey.fromPem(
          new String(in.readAllBytes(), StandardCharsets.US_ASCII), "fuzz-signing-key.pem");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void verify(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int selector = data[0] & 0xff;
    byte[] fuzzed = Arrays.copyOfRange(data, 1, data.length);
    int piece = selector & 3;
    boolean unsigned = (selector & 4) != 0;
    long hwm = HIGH_WATER_MARKS[(selector >> 3) & 3];

    MemoryStore store = new MemoryStore();
    store.put(REPO, GENUINE);
    String served = GENUINE.digest();
    switch (piece) {
      case 0 -> {
        store.putManifest(REPO, BundleRepository.DESIRED_TAG, fuzzed);
        served = Digests.sha256(fuzzed);
      }
      case 1 -> store.forceBlob(REPO, Digests.sha256(GENUINE.bundle().layer()), fuzzed);
      case 2 -> {}
      default -> store.forceBlob(REPO, Digests.sha256(GENUINE.signature().payload()), fuzzed);
    }
    String sigTag = BundleRepository.signatureTag(served);
    if (piece == 2) {
      store.putManifest(REPO, sigTag, fuzzed);
    }
    if (unsigned) {
      store.removeManifest(REPO, sigTag);
    }

    VerifiedBundle verified;
    try {
      verified = VERIFIER.verify(store, REPO, BundleRepository.DESIRED_TAG, hwm);
    } catch (OciException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(store.largestLimit()).isLessThanOrEqualTo(Math.max(MAX_MANIFEST, MAX_PAYLOAD));
      return;
    }
    assertThat(unsigned).as("accepted a bundle without a signature").isFalse();
    assertThat(verified.digest()).isEqualTo(GENUINE.digest());
    assertThat(verified.layer()).isEqualTo(GENUINE.bundle().layer());
    assertThat(verified.payload()).isEqualTo(GENUINE.payload());
    assertThat(verified.payload().sequence()).isGreaterThan(hwm);
    assertThat(verified.keyId()).isEqualTo(KEY.keyId());
    assertThat(store.largestLimit()).isLessThanOrEqualTo(Math.max(MAX_MANIFEST, MAX_PAYLOAD));
  }
}
