package io.kapro.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kapro.api.v1alpha2.Patterns;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The one duration grammar is Go's {@code time.ParseDuration}, as Kubernetes writes durations. The
 * cases are Go's own: golang/go, {@code src/time/time_test.go}, {@code parseDurationTests} and
 * {@code parseDurationErrorTests} (Go 1.22+), values written out in nanoseconds.
 */
class DurationsTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long US = 1_000L;
  private static final long MIN = 60 * S;
  private static final long H = 60 * MIN;

  /** golang/go src/time/time_test.go parseDurationTests: input → nanoseconds. */
  static final Map<String, Long> GO_VALID =
      Map.ofEntries(
          // simple
          Map.entry("0", 0L),
          Map.entry("5s", 5 * S),
          Map.entry("30s", 30 * S),
          Map.entry("1478s", 1478 * S),
          // sign
          Map.entry("-5s", -5 * S),
          Map.entry("+5s", 5 * S),
          Map.entry("-0", 0L),
          Map.entry("+0", 0L),
          // decimal
          Map.entry("5.0s", 5 * S),
          Map.entry("5.6s", 5 * S + 600 * MS),
          Map.entry("5.s", 5 * S),
          Map.entry(".5s", 500 * MS),
          Map.entry("1.0s", S),
          Map.entry("1.00s", S),
          Map.entry("1.004s", S + 4 * MS),
          Map.entry("1.0040s", S + 4 * MS),
          Map.entry("100.00100s", 100 * S + MS),
          // different units
          Map.entry("10ns", 10L),
          Map.entry("11us", 11 * US),
          Map.entry("12\u00b5s", 12 * US), // U+00B5
          Map.entry("12\u03bcs", 12 * US), // U+03BC
          Map.entry("13ms", 13 * MS),
          Map.entry("14s", 14 * S),
          Map.entry("15m", 15 * MIN),
          Map.entry("16h", 16 * H),
          // composite durations
          Map.entry("3h30m", 3 * H + 30 * MIN),
          Map.entry("10.5s4m", 4 * MIN + 10 * S + 500 * MS),
          Map.entry("-2m3.4s", -(2 * MIN + 3 * S + 400 * MS)),
          Map.entry("1h2m3s4ms5us6ns", H + 2 * MIN + 3 * S + 4 * MS + 5 * US + 6),
          Map.entry("39h9m14.425s", 39 * H + 9 * MIN + 14 * S + 425 * MS),
          // large value
          Map.entry("52763797000ns", 52763797000L),
          // more than 9 digits after the decimal point (golang.org/issue/6617)
          Map.entry("0.3333333333333333333h", 20 * MIN),
          // 9007199254740993 = 1<<53+1 cannot be stored precisely in a float64
          Map.entry("9007199254740993ns", (1L << 53) + 1),
          // largest duration that can be represented by int64 in nanoseconds
          Map.entry("9223372036854775807ns", Long.MAX_VALUE),
          Map.entry("9223372036854775.807us", Long.MAX_VALUE),
          Map.entry("9223372036s854ms775us807ns", Long.MAX_VALUE),
          Map.entry("-9223372036854775808ns", Long.MIN_VALUE),
          Map.entry("-9223372036854775.808us", Long.MIN_VALUE),
          Map.entry("-9223372036s854ms775us808ns", Long.MIN_VALUE),
          // largest negative round trip value (golang.org/issue/48629)
          Map.entry("-2562047h47m16.854775808s", Long.MIN_VALUE),
          // huge string; issue 15011
          Map.entry("0.100000000000000000000h", 6 * MIN),
          // the first overflow check in leadingFraction
          Map.entry("0.830103483285477580700h", 49 * MIN + 48 * S + 372539827L));

  /** golang/go src/time/time_test.go parseDurationErrorTests (invalid and overflow). */
  static final String[] GO_INVALID = {
    "",
    "3",
    "-",
    "s",
    ".",
    "-.",
    ".s",
    "+.s",
    "1d",
    "\u0085\u0085",
    "\u00ffff",
    "hello \u00ffff world",
    "\uFFFD",
    "\uFFFD hello \uFFFD world",
    "9223372036854775810ns",
    "9223372036854775808ns",
    "-9223372036854775809ns",
    "9223372036854776us",
    "3000000h",
    "9223372036854775.808us",
    "9223372036854ms775us808ns",
  };

  @Test
  void parsesWhatGoParsesToTheSameValue() {
    GO_VALID.forEach(
        (in, nanos) -> assertThat(Durations.parse(in)).as(in).isEqualTo(Duration.ofNanos(nanos)));
  }

  @ParameterizedTest
  @FieldSource("GO_INVALID")
  void refusesWhatGoRefusesWithAMessageThatShowsTheFix(String in) {
    assertThatThrownBy(() -> Durations.parse(in))
        .isInstanceOfSatisfying(
            KaproApiException.class,
            e -> assertThat(e.reason()).isEqualTo(KaproApiException.Reason.INVALID_DURATION))
        .hasMessageContaining("e.g. 30s, 5m, 1h30m");
    assertThat(Durations.isValid(in)).isFalse();
  }

  @Test
  void refusesSpacesAndOverlongTextBeforeReadingIt() {
    for (String bad : new String[] {"5 m", " 5m", "m5", "1h" + "0s".repeat(40), null}) {
      assertThat(Durations.isValid(bad)).as(String.valueOf(bad)).isFalse();
    }
  }

  @Test
  void positiveDurationsRefuseZeroAndNegative() {
    assertThat(Durations.parsePositive("1m30s")).isEqualTo(Duration.ofSeconds(90));
    for (String bad : new String[] {"0", "0s", "-5s"}) {
      assertThatThrownBy(() -> Durations.parsePositive(bad))
          .isInstanceOf(KaproApiException.class)
          .hasMessageContaining("longer than zero");
    }
  }

  /** What the CRD schema admits (unsigned, with a unit) the parser reads the same way. */
  @Test
  void everyGoCaseTheCrdPatternAdmitsParses() {
    Pattern crd = Pattern.compile(Patterns.DURATION);
    long admitted =
        GO_VALID.keySet().stream()
            .filter(in -> crd.matcher(in).matches())
            .peek(
                in ->
                    assertThat(Durations.parse(in))
                        .as(in)
                        .isEqualTo(Duration.ofNanos(GO_VALID.get(in))))
            .count();
    assertThat(admitted).isGreaterThan(20);
    // The pattern cannot bound the value: the Go overflow cases (the last seven) pass it, and
    // the validators (SpecValidator, FleetConfig) refuse them through the parser.
    for (String in : java.util.Arrays.copyOf(GO_INVALID, GO_INVALID.length - 7)) {
      assertThat(crd.matcher(in).matches()).as(in).isFalse();
    }
  }

  /** Kubernetes prints durations with Go's {@code Duration.String}; those read back unchanged. */
  @Test
  void formatsLikeGoAndReadsItBack() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    for (Duration d :
        new Duration[] {Duration.ofMinutes(90), Duration.ofMillis(1500), Duration.ofHours(26)}) {
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
  }
}
