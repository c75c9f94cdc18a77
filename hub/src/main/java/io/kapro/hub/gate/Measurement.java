package io.kapro.hub.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measurement of a metrics gate for one Target, judged against its condition.
 *
 * <p>How a result is judged (compared with Argo Rollouts' prometheus provider, {@code
 * metricproviders/prometheus/prometheus.go}, and Flagger's {@code
 * pkg/metrics/providers/prometheus.go}): a scalar is one value; an instant vector succeeds only
 * when every sample satisfies the condition (Argo hands the whole vector to the condition, Flagger
 * takes one sample; Kapro asks all series to hold, so one bad cluster or pod is not averaged away);
 * an empty vector is {@link Result#NoData} (Flagger: "no values found"; Argo: the condition cannot
 * index an empty result) and a NaN value fails; a query error, an unreachable server or an answer
 * that is not an instant vector or scalar is {@link Result#Error}. NoData and Error count as failed
 * measurements: fail closed.
 */
public record Measurement(Result result, List<String> values, String message) {
  /** The most series shown on the gate's status. */
  public static final int MAX_VALUES_SHOWN = 10;

  public Measurement {
    values = List.copyOf(values);
  }

  /** What a measurement found. */
  public enum Result {
    Succeeded,
    Failed,
    NoData,
    Error;

    public boolean success() {
      return this == Succeeded;
    }
  }

  /** One value of the answer: its series (labels, or "scalar") and the number. */
  public record Sample(String series, double value) {}

  /** Judges the samples of every query of one measurement. */
  public static Measurement judge(List<Sample> samples, Threshold condition) {
    List<String> shown = new ArrayList<>();
    int bad = 0;
    String firstBad = null;
    for (Sample s : samples) {
      String v = s.series() + "=" + format(s.value());
      if (shown.size() < MAX_VALUES_SHOWN) {
        shown.add(v);
      }
      if (!condition.holds(s.value())) {
        bad++;
        firstBad = firstBad == null ? v : firstBad;
      }
    }
    if (samples.isEmpty()) {
      return new Measurement(
          Result.NoData,
          List.of(),
          "the query returned no data (an empty vector); a series that may be absent can be"
              + " defaulted with `or vector(0)`");
    }
    if (bad > 0) {
      return new Measurement(
          Result.Failed,
          shown,
          bad + " of " + samples.size() + " value(s) not " + condition + ", e.g. " + firstBad);
    }
    return new Measurement(
        Result.Succeeded, shown, "all " + samples.size() + " value(s) " + condition);
  }

  public static Measurement error(String message) {
    return new Measurement(Result.Error, List.of(), message);
  }

  /** A number as Prometheus writes it, without a trailing ".0" for integers. */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
