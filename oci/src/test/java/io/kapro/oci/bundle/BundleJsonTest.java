package io.kapro.oci.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleJsonTest {
  static final BundlePayload PAYLOAD =
      TestBundles.payload(
          "team-a", "edge-1", 7, Instant.parse("2026-01-02T03:04:05Z"), Duration.ofHours(24));

  @Test
  void writesRfc8785CanonicalJson() throws Exception {
    byte[] ours = BundleJson.write(PAYLOAD);
    String json = new String(ours, StandardCharsets.UTF_8);
    // the reference implementation of RFC 8785 produces the same bytes from our output
    assertThat(new JsonCanonicalizer(json).getEncodedUTF8()).isEqualTo(ours);
    assertThat(json).startsWith("{\"cluster\":\"edge-1\",\"expiresAt\":\"2026-01-03T03:04:05Z\",");
    assertThat(json).doesNotContain(" ").doesNotContain("\n");
  }

  @Test
  void canonicalFormOfAwkwardStringsMatchesReference() throws Exception {
    BundlePayload p =
        BundlePayload.of(
            "c",
            "n",
            "f\u00e9\u20ac\uD83D\uDE00",
            "r\"\\\n\t\u0001\u007f",
            1,
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(60),
            List.of(TestBundles.helmUnit("a", "1"), TestBundles.helmUnit("\u00e4b", "2")),
            true);
    byte[] ours = BundleJson.write(p);
    assertThat(new JsonCanonicalizer(new String(ours, StandardCharsets.UTF_8)).getEncodedUTF8())
        .isEqualTo(ours);
    assertThat(BundleJson.read(ours)).isEqualTo(p);
  }

  @Test
  void sameContentSameBytes() {
    BundlePayload again =
        TestBundles.payload(
            "team-a", "edge-1", 7, Instant.parse("2026-01-02T03:04:05.999Z"), Duration.ofHours(24));
    assertThat(BundleJson.write(again)).isEqualTo(BundleJson.write(PAYLOAD));
  }

  @Test
  void roundTrips() {
    assertThat(BundleJson.read(BundleJson.write(PAYLOAD))).isEqualTo(PAYLOAD);
  }

  @Test
  void driftPolicyIsWrittenOnlyWhenNotTheDefault() {
    String plain = new String(BundleJson.write(PAYLOAD), StandardCharsets.UTF_8);
    assertThat(plain).doesNotContain("drift");
    BundlePayload reapply = PAYLOAD.withDrift(BundlePayload.DRIFT_REAPPLY);
    byte[] bytes = BundleJson.write(reapply);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"drift\":\"reapply\"");
    assertThat(BundleJson.read(bytes)).isEqualTo(reapply);
    assertThat(BundleJson.read(plain.getBytes(StandardCharsets.UTF_8)).drift())
        .isEqualTo(BundlePayload.DRIFT_REPORT);
  }

  @Test
  void unknownDriftPolicyIsMalformed() {
    String json =
        new String(BundleJson.write(PAYLOAD), StandardCharsets.UTF_8)
            .replace("\"expiresAt\"", "\"drift\":\"ignore\",\"expiresAt\"");
    assertThatThrownBy(() -> BundleJson.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("drift must be 'report' or 'reapply'");
  }

  @Test
  void invalidPayloadIsRefusedNamingTheField() {
    BundlePayload bad =
        BundlePayload.of(
            "", "n", "f", "r", 1, Instant.EPOCH, Instant.EPOCH.plusSeconds(1), List.of(), false);
    assertThatThrownBy(() -> BundleJson.write(bad))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
        .hasMessageContaining("cluster");
    BundlePayload dup =
        BundlePayload.of(
            "c",
            "n",
            "f",
            "r",
            1,
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(1),
            List.of(TestBundles.helmUnit("a", "1"), TestBundles.helmUnit("a", "2")),
            false);
    assertThatThrownBy(() -> BundleJson.write(dup))
        .hasMessageContaining("units[].name 'a' appears twice");
    BundlePayload backwards =
        BundlePayload.of(
            "c", "n", "f", "r", 1, Instant.EPOCH.plusSeconds(5), Instant.EPOCH, List.of(), false);
    assertThatThrownBy(() -> BundleJson.write(backwards)).hasMessageContaining("expiresAt");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{",
        "null",
        "{\"schemaVersion\":1}",
        "{\"schemaVersion\":\"1\"}",
        "{\"schemaVersion\":1,\"schemaVersion\":1}",
        "{\"schemaVersion\":1,\"cluster\":\"c\",\"namespace\":\"n\",\"fleet\":\"f\",\"run\":\"r\",\"sequence\":1,"
            + "\"issuedAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-02T00:00:00Z\",\"units\":[],\"rollback\":false,\"extra\":1}",
        "{\"schemaVersion\":1,\"cluster\":\"c\",\"namespace\":\"n\",\"fleet\":\"f\",\"run\":\"r\",\"sequence\":1.5,"
            + "\"issuedAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-02T00:00:00Z\",\"units\":[],\"rollback\":false}",
        "{\"schemaVersion\":1,\"cluster\":\"c\",\"namespace\":\"n\",\"fleet\":\"f\",\"run\":\"r\",\"sequence\":1,"
            + "\"issuedAt\":\"yesterday\",\"expiresAt\":\"2026-01-02T00:00:00Z\",\"units\":[],\"rollback\":false}",
        "{\"schemaVersion\":1,\"cluster\":\"c\",\"namespace\":\"n\",\"fleet\":\"f\",\"run\":\"r\",\"sequence\":1,"
            + "\"issuedAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-02T00:00:00Z\",\"units\":[{}],\"rollback\":false}",
        "{\"schemaVersion\":1,\"cluster\":\"c\",\"namespace\":\"n\",\"fleet\":\"f\",\"run\":\"r\",\"sequence\":1,"
            + "\"issuedAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-02T00:00:00Z\",\"units\":[],\"rollback\":false} {}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]"
      })
  void hostileJsonIsMalformed(String json) {
    assertThatThrownBy(() -> BundleJson.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void unknownSchemaVersionIsItsOwnReason() {
    String json =
        new String(BundleJson.write(PAYLOAD), StandardCharsets.UTF_8)
            .replace("\"schemaVersion\":1", "\"schemaVersion\":2");
    assertThatThrownBy(() -> BundleJson.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_SCHEMA));
  }

  @Test
  void aSequenceOutsideTheOneRangeIsRefusedWhenSigningAndWhenReading() {
    BundlePayload top =
        TestBundles.payload(
            "team-a",
            "edge-1",
            BundlePayload.MAX_SEQUENCE,
            Instant.parse("2026-01-02T03:04:05Z"),
            Duration.ofHours(1));
    assertThat(BundleJson.read(BundleJson.write(top)).sequence()).isEqualTo(9_007_199_254_740_991L);
    for (long bad : List.of(0L, -1L, BundlePayload.MAX_SEQUENCE + 1, 1_000_000_000_000_000_000L)) {
      BundlePayload p =
          TestBundles.payload(
              "team-a", "edge-1", bad, Instant.parse("2026-01-02T03:04:05Z"), Duration.ofHours(1));
      assertThatThrownBy(() -> BundleJson.write(p))
          .as("signing %d", bad)
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
          .hasMessageContaining("sequence must be between 1 and 9007199254740991");
      byte[] json =
          new String(BundleJson.write(top), StandardCharsets.UTF_8)
              .replace("\"sequence\":" + BundlePayload.MAX_SEQUENCE, "\"sequence\":" + bad)
              .getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> BundleJson.read(json))
          .as("reading %d", bad)
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessageContaining("sequence must be between 1 and");
    }
  }

  @Test
  void theHubFloorIsAnOptionalSignedFieldThatOldBundlesLack() {
    assertThat(new String(BundleJson.write(PAYLOAD), StandardCharsets.UTF_8))
        .doesNotContain("minSequence");
    assertThat(BundleJson.read(BundleJson.write(PAYLOAD)).minSequence()).isZero();
    BundlePayload floored = PAYLOAD.withMinSequence(5);
    byte[] json = BundleJson.write(floored);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"minSequence\":5");
    assertThat(BundleJson.read(json)).isEqualTo(floored);
    assertThatThrownBy(() -> BundleJson.write(PAYLOAD.withMinSequence(8)))
        .hasMessageContaining("minSequence 8 is above the bundle's own sequence 7");
    assertThatThrownBy(() -> BundleJson.write(PAYLOAD.withMinSequence(-2)))
        .hasMessageContaining("minSequence must be between 1 and");
  }

  @Test
  void theHubsLastEvidenceNumberIsAnOptionalSignedFieldInTheOneRange() {
    assertThat(new String(BundleJson.write(PAYLOAD), StandardCharsets.UTF_8))
        .doesNotContain("minEvidenceNumber");
    assertThat(BundleJson.read(BundleJson.write(PAYLOAD)).minEvidenceNumber()).isZero();
    // unlike minSequence it may exceed the bundle's sequence: evidence has its own numbers
    BundlePayload carried = PAYLOAD.withMinSequence(5).withMinEvidenceNumber(41);
    byte[] json = BundleJson.write(carried);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"minEvidenceNumber\":41");
    assertThat(BundleJson.read(json)).isEqualTo(carried);
    assertThat(BundleJson.read(json).withDrift(BundlePayload.DRIFT_REAPPLY).minEvidenceNumber())
        .isEqualTo(41);
    assertThatThrownBy(
            () -> BundleJson.write(PAYLOAD.withMinEvidenceNumber(BundlePayload.MAX_SEQUENCE + 1)))
        .hasMessageContaining("minEvidenceNumber must be between 1 and");
  }
}
