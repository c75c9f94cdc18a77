package io.kapro.hub.run;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.api.v1alpha2.GateStatus;
import io.kapro.api.v1alpha2.GateType;
import io.kapro.api.v1alpha2.MetricsGateStatus;
import io.kapro.api.v1alpha2.PromotionRun;
import io.kapro.api.v1alpha2.Target;
import io.kapro.api.v1alpha2.TargetPhase;
import io.kapro.api.v1alpha2.TargetStatus;
import io.kapro.hub.engine.DesiredVersion;
import io.kapro.hub.engine.EngineDecision;
import io.kapro.hub.engine.EngineResult;
import io.kapro.hub.engine.TargetKey;
import io.kapro.hub.gate.GateEvaluator;
import io.kapro.hub.gate.GateOutcome;
import io.kapro.hub.gate.Measurement;
import io.kapro.hub.gate.MetricsObservation;
import io.kapro.hub.gate.MetricsQuery;
import io.kapro.hub.kube.TenantSecrets;
import io.kapro.hub.kube.Times;
import io.kapro.hub.webhook.PrometheusClient;
import io.kapro.oci.sign.Pem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the metrics measurements the engine asked for and records each on its Target's gate status
 * (counters, last values, and the gate's result as {@link GateEvaluator#metrics} judges them),
 * where the next engine step reads them back. The counters live only there: a measurement is
 * recorded on a fresh read of the Target, and dropped when another one was recorded within the
 * interval (a reconcile that read a stale cache), so a measurement is never counted twice.
 */
final class MetricsMeasurements {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsMeasurements.class);

  private final KubernetesClient client;
  private final PrometheusClient prometheus;

  MetricsMeasurements(KubernetesClient client, PrometheusClient prometheus) {
    this.client = client;
    this.prometheus = prometheus;
  }

  void measureAll(
      PromotionRun run, EngineResult result, Map<TargetKey, Target> targets, Instant now) {
    for (EngineDecision d : result.decisions()) {
      if (d instanceof EngineDecision.MeasureMetrics m) {
        Target t = targets.get(new TargetKey(m.stage(), m.cluster()));
        if (t != null) {
          List<String> queries = new ArrayList<>();
          Measurement measurement = measure(run.getMetadata().getNamespace(), m, queries);
          record(run.getMetadata().getNamespace(), t, m, queries, measurement, now);
        }
      }
    }
  }

  /** One measurement: every query (one per unit when the query names a unit or version). */
  Measurement measure(String ns, EngineDecision.MeasureMetrics m, List<String> queries) {
    var gate = m.gate();
    PrometheusClient.Auth auth = new PrometheusClient.Auth.None();
    SSLContext tls = null;
    if (gate.secretName() != null) {
      Secret s;
      try {
        s = TenantSecrets.read(client, ns, gate.secretName());
      } catch (TenantSecrets.Forbidden e) {
        return Measurement.error("metrics.secretRef: " + e.getMessage());
      } catch (KubernetesClientException e) {
        return Measurement.error(
            "cannot read Secret " + ns + "/" + gate.secretName() + ": " + e.getMessage());
      }
      if (s == null) {
        return Measurement.error(
            "metrics.secretRef: Secret "
                + ns
                + "/"
                + gate.secretName()
                + " does not exist; create it with key token, or username and password");
      }
      String token = TenantSecrets.text(s, "token");
      String user = TenantSecrets.text(s, "username");
      String password = TenantSecrets.text(s, "password");
      if (token != null) {
        auth = new PrometheusClient.Auth.Bearer(token.strip());
      } else if (user != null && password != null) {
        auth = new PrometheusClient.Auth.Basic(user, password);
      }
      String ca = TenantSecrets.text(s, "ca.crt");
      if (ca != null) {
        try {
          tls = trusting(Pem.readCertificates(ca, "Secret " + gate.secretName() + " key ca.crt"));
        } catch (RuntimeException
            | java.security.GeneralSecurityException
            | java.io.IOException e) {
          return Measurement.error(
              "metrics.secretRef: Secret "
                  + gate.secretName()
                  + " key ca.crt is not a PEM certificate: "
                  + e.getMessage());
        }
      }
      if (token == null && (user == null || password == null) && ca == null) {
        return Measurement.error(
            "metrics.secretRef: Secret "
                + gate.secretName()
                + " has none of the keys token, username and password, ca.crt");
      }
    }
    List<Map<String, String>> bindings = new ArrayList<>();
    Map<String, String> common = new HashMap<>();
    common.put("cluster", m.cluster());
    common.put("stage", m.stage());
    common.put("run", m.run());
    if (MetricsQuery.perUnit(gate.query())) {
      for (DesiredVersion u : m.units()) {
        Map<String, String> b = new HashMap<>(common);
        b.put("unit", u.name());
        b.put("version", u.version());
        bindings.add(b);
      }
    } else {
      bindings.add(common);
    }
    List<Measurement.Sample> samples = new ArrayList<>();
    for (Map<String, String> b : bindings) {
      String q;
      try {
        q = MetricsQuery.render(gate.query(), b);
      } catch (IllegalArgumentException e) {
        return Measurement.error("metrics.query: " + e.getMessage());
      }
      queries.add(q);
      var answer = prometheus.query(gate.address(), q, gate.timeout(), auth, tls);
      switch (answer) {
        case PrometheusClient.Answer.Failure f -> {
          return Measurement.error(f.message());
        }
        case PrometheusClient.Answer.Samples s -> samples.addAll(s.samples());
      }
    }
    return Measurement.judge(samples, gate.condition());
  }

  private void record(
      String ns,
      Target t,
      EngineDecision.MeasureMetrics m,
      List<String> queries,
      Measurement measurement,
      Instant now) {
    var gate = m.gate();
    io.kapro.hub.kube.StatusUpdate.update(
        client,
        Target.class,
        ns,
        t.getMetadata().getName(),
        cur -> {
          TargetStatus s = cur.getStatus() == null ? new TargetStatus() : cur.getStatus();
          TargetPhase phase = s.getPhase() == null ? TargetPhase.Pending : s.getPhase();
          if (!phase.unstarted()) {
            return false; // the gate is behind it
          }
          List<GateStatus> gates =
              s.getGates() == null ? new ArrayList<>() : new ArrayList<>(s.getGates());
          GateStatus g =
              gates.stream().filter(x -> gate.name().equals(x.getName())).findFirst().orElse(null);
          if (g == null) {
            g = new GateStatus();
            g.setName(gate.name());
            g.setType(GateType.Metrics);
            gates.add(g);
          }
          MetricsObservation before = observation(m.stage(), m.cluster(), g);
          if (before.lastMeasuredAt() != null
              && before.lastMeasuredAt().plus(gate.interval()).isAfter(now)) {
            return false; // measured already within the interval (this reconcile read a stale
            // cache)
          }
          MetricsObservation after = before.next(measurement, now);
          GateOutcome verdict = GateEvaluator.metrics(gate, after);
          MetricsGateStatus ms = new MetricsGateStatus();
          ms.setQuery(queries.isEmpty() ? null : String.join("\n", queries));
          ms.setMeasurements(after.measurements());
          ms.setConsecutiveSuccesses(after.consecutiveSuccesses());
          ms.setFailures(after.failures());
          ms.setLastMeasuredAt(Times.format(now));
          ms.setLastResult(measurement.result().name());
          ms.setLastMessage(measurement.message());
          ms.setLastValues(measurement.values().isEmpty() ? null : measurement.values());
          if (g.getResult() != verdict.verdict()) {
            g.setSince(Times.format(now));
          }
          g.setResult(verdict.verdict());
          g.setMessage(verdict.message());
          g.setMetrics(ms);
          s.setGates(gates);
          cur.setStatus(s);
          return true;
        });
    LOG.debug(
        "metrics gate {} for {} in stage {}: {} {}",
        gate.name(),
        m.cluster(),
        m.stage(),
        measurement.result(),
        measurement.message());
  }

  /** The measurements recorded on a gate's status so far. */
  static MetricsObservation observation(String stage, String cluster, GateStatus g) {
    MetricsGateStatus ms = g.getMetrics();
    if (ms == null) {
      return MetricsObservation.none(stage, cluster, g.getName());
    }
    return new MetricsObservation(
        stage,
        cluster,
        g.getName(),
        ms.getMeasurements() == null ? 0 : ms.getMeasurements(),
        ms.getConsecutiveSuccesses() == null ? 0 : ms.getConsecutiveSuccesses(),
        ms.getFailures() == null ? 0 : ms.getFailures(),
        Times.parse(ms.getLastMeasuredAt()),
        ms.getLastResult() == null ? null : ms.getLastResult() + ": " + ms.getLastMessage());
  }

  /** Trust for https: the JDK's CAs and the Secret's. */
  static SSLContext trusting(List<X509Certificate> cas)
      throws java.security.GeneralSecurityException, java.io.IOException {
    return io.kapro.oci.store.RegistryTls.trusting(cas);
  }
}
