package io.kapro.oci.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleJson;
import io.kapro.oci.bundle.BundlePayload;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.SimpleSigning;

/**
 * Fuzzes the readers of untrusted bundle bytes. Invariants: the only exception is {@link
 * OciException}; whatever is accepted survives a write/read round trip unchanged. In CI the
 * committed corpus under {@code BundleParserFuzzTestInputs/} runs as regression inputs; {@code
 * JAZZER_FUZZ=1} fuzzes (see docs/reliability.md).
 */
class BundleParserFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void manifest(byte[] data) {
    OciManifest m;
    try {
      m = OciManifest.parse(data);
    } catch (OciException e) {
      assertThat(e.reason()).isEqualTo(OciException.Reason.MALFORMED);
      return;
    }
    assertThat(OciManifest.parse(m.toJson())).isEqualTo(m);
  }

  @FuzzTest(maxDuration = "60s")
  void payload(byte[] data) {
    BundlePayload p;
    try {
      p = BundleJson.read(data);
    } catch (OciException e) {
      assertThat(e.reason())
          .isIn(OciException.Reason.MALFORMED, OciException.Reason.UNSUPPORTED_SCHEMA);
      return;
    }
    assertThat(BundleJson.read(BundleJson.write(p))).isEqualTo(p);
  }

  @FuzzTest(maxDuration = "60s")
  void signaturePayload(byte[] data) {
    try {
      assertThat(SimpleSigning.signedDigest(data)).startsWith("sha256:");
    } catch (OciException e) {
      assertThat(e.reason()).isEqualTo(OciException.Reason.MALFORMED);
    }
  }
}
