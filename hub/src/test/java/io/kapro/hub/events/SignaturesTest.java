package io.kapro.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignaturesTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void headerIsHmacSha256OfTimeIdAndBodyAsDocumented() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal("1700000000.id-1.{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    assertThat(Signatures.header(KEY, 1700000000, "id-1", BODY))
        .isEqualTo("t=1700000000,v1=" + expected);
  }

  @Test
  void verifiesOnlyTheSameKeyIdBodyWithinTolerance() {
    String h = Signatures.header(KEY, 1000, "id-1", BODY);
    assertThat(Signatures.verify(KEY, h, "id-1", BODY, 1000)).isTrue();
    assertThat(Signatures.verify(KEY, h, "id-1", BODY, 1000 + 300)).isTrue();
    assertThat(Signatures.verify(KEY, h, "id-1", BODY, 1000 + 301)).isFalse();
    assertThat(Signatures.verify("x".getBytes(), h, "id-1", BODY, 1000)).isFalse();
    assertThat(Signatures.verify(KEY, h, "id-2", BODY, 1000)).isFalse();
    assertThat(Signatures.verify(KEY, h, "id-1", "{}".getBytes(), 1000)).isFalse();
  }

  @Test
  void malformedHeadersAreRefusedNotThrown() {
    for (String h :
        new String[] {
          null,
          "",
          "t=1",
          "v1=00",
          "t=x,v1=00",
          "t=1000,v1=zz",
          "garbage",
          "t=1000,v1=",
          "t=99999999999999999999,v1=00"
        }) {
      assertThat(Signatures.verify(KEY, h, "id", BODY, 1000)).as(h).isFalse();
    }
    assertThat(Signatures.verify(new byte[0], "t=1000,v1=00", "id", BODY, 1000)).isFalse();
  }
}
