package io.kapro.hub.source;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kapro.api.Conditions;
import io.kapro.api.Durations;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Cluster;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.DiscoveredVersion;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PromotionMode;
import io.kapro.api.v1alpha2.ProvenVersion;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceStatus;
import io.kapro.api.v1alpha2.Stage;
import io.kapro.hub.events.inbound.BuildTrigger;
import io.kapro.hub.events.inbound.InboundEvent;
import io.kapro.hub.events.inbound.InboundException;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.kube.Times;
import io.kapro.hub.publish.Fleets;
import io.kapro.hub.target.PublishException;
import io.kapro.oci.OciException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a {@link Source} every {@code spec.interval}, at once when its spec changes, and when
 * annotation {@value #CHECK_REQUESTED_AT} changes (set by {@code kapro sources --check} or an
 * inbound {@code io.kapro.source.check} event): lists the subscription (OCI tags, Helm chart
 * versions, Git refs; bounded, see {@link SourceListing}), records the versions the policy keeps
 * (newest first, digests resolved once), the version the fleet's clusters proved and the versions
 * available but not yet promoted. With the Fleet's {@code spec.sources} promotion {@code Auto}, a
 * newest version newer than everything proven and already promoted goes into Promotion {@code
 * <fleet>-<unit>} (through the same rule as a CI build event; the new run supersedes the old one).
 * Every failure is reported on the Source's Ready condition and checked again at the next interval;
 * none of it escapes into the hub.
 */
public final class SourceReconciler implements Reconciler<Source> {
  private static final Logger LOG = LoggerFactory.getLogger(SourceReconciler.class);

  /** Annotation whose new value asks for a check now. */
  public static final String CHECK_REQUESTED_AT = Kapro.PREFIX + "check-requested-at";

  /** The shortest interval the hub accepts (registries are not to be hammered). */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

  /**
   * Ready's reason when {@code spec.group} names a SourceGroup that does not exist or does not list
   * the Source (versions are still recorded; the unit is not promoted alone).
   */
  static final String SOURCE_GROUP_NOT_FOUND = "SourceGroupNotFound";

  /** Tags asked for per page. */
  static final int TAG_PAGE = 1000;

  private final Clock clock;

  public SourceReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<Source> reconcile(Source source, Context<Source> ctx) {
    Instant now = clock.instant();
    Duration interval;
    try {
      interval = interval(source);
    } catch (SourceException e) {
      write(ctx.getClient(), source, now, null, fail(source, Kapro.Reasons.INVALID_SPEC, e));
      return UpdateControl.noUpdate();
    }
    SourceStatus st = source.getStatus();
    String requested = requested(source);
    Instant last =
        st == null || st.getLastCheckedAt() == null ? null : parse(st.getLastCheckedAt());
    boolean due =
        last == null
            || !Objects.equals(st.getObservedGeneration(), source.getMetadata().getGeneration())
            || (requested != null && !requested.equals(st.getLastHandledCheckAt()))
            || !now.isBefore(last.plus(interval));
    if (!due) {
      return UpdateControl.<Source>noUpdate()
          .rescheduleAfter(Duration.between(now, last.plus(interval)));
    }
    Outcome o = check(ctx.getClient(), source, now);
    write(ctx.getClient(), source, now, requested, o);
    return UpdateControl.<Source>noUpdate().rescheduleAfter(interval);
  }

  /** What one check found (versions null: keep the recorded ones). */
  record Outcome(
      Condition ready,
      Integer tagsListed,
      List<DiscoveredVersion> versions,
      String proven,
      List<String> available,
      String promoted) {}

  Outcome check(KubernetesClient client, Source source, Instant now) {
    String ns = source.getMetadata().getNamespace();
    var spec = source.getSpec();
    String where = "Source " + ns + "/" + source.getMetadata().getName();
    try {
      TagPolicy policy = TagPolicy.of(spec);
      Fleet fleet = client.resources(Fleet.class).inNamespace(ns).withName(spec.getFleet()).get();
      if (fleet == null) {
        return fail(
            source,
            Kapro.Reasons.FLEET_NOT_FOUND,
            new SourceException(
                "spec.fleet: Fleet " + ns + "/" + spec.getFleet() + " does not exist; create it"));
      }
      boolean known =
          fleet.getSpec() != null
              && fleet.getSpec().getUnits() != null
              && fleet.getSpec().getUnits().stream()
                  .anyMatch(u -> spec.getUnit().equals(u.getName()));
      if (!known) {
        throw new SourceException(
            "spec.unit: Fleet " + spec.getFleet() + " has no unit " + spec.getUnit());
      }
      SourceListing.Listing listing = SourceListing.list(client, source, policy, now);
      List<DiscoveredVersion> versions = listing.versions();
      if (listing.ordering() != null) {
        policy = listing.ordering();
      }
      Plan plan = null;
      var policyOfFleet = fleet.getSpec().getSources();
      boolean auto = policyOfFleet != null && policyOfFleet.getPromotion() == PromotionMode.Auto;
      if (auto) {
        plan = client.resources(Plan.class).inNamespace(ns).withName(policyOfFleet.getPlan()).get();
        if (plan == null) {
          throw new SourceException(
              "Fleet "
                  + spec.getFleet()
                  + " spec.sources.plan: Plan "
                  + policyOfFleet.getPlan()
                  + " does not exist; create it or set promotion Manual");
        }
      }
      String proven = proven(client, fleet, plan, spec.getUnit(), policy);
      List<String> available = SourceHistory.available(versions, proven, policy);
      String promoted = source.getStatus() == null ? null : source.getStatus().getPromoted();
      String message =
          listing.listed()
              + (spec.getGit() != null
                  ? " refs listed, "
                  : spec.getHelm() != null ? " versions listed, " : " tags listed, ")
              + versions.size()
              + " versions kept"
              + (versions.isEmpty() ? "" : ", newest " + versions.get(0).getVersion())
              + (available.isEmpty() ? "" : "; available, not yet promoted: " + available.size());
      // a Source that names its group never promotes alone, whether or not the group exists
      // yet (or lists it): membership declared on the Source cannot lose a race with the group
      String unbound =
          spec.getGroup() == null ? null : SourceGroupReconciler.unbound(client, source);
      if (auto && !versions.isEmpty()) {
        String latest = versions.get(0).getVersion();
        String floor = newest(policy, proven, promotedElsewhere(client, fleet, spec.getUnit()));
        boolean newer = floor == null || policy.newerTag(latest, floor).orElse(false);
        String group =
            spec.getGroup() != null
                ? spec.getGroup()
                : SourceGroupReconciler.groupOf(client, source).orElse(null);
        if (group != null) {
          message +=
              unbound == null
                  ? "; promoted with SourceGroup " + group
                  : "; not promoted alone (spec.group names SourceGroup " + group + ")";
        } else if (newer && !latest.equals(promoted)) {
          BuildTrigger.Outcome o = promote(client, source, latest, policyOfFleet.getPlan());
          promoted = latest;
          message +=
              "; promoted " + latest + " (Promotion " + o.promotion() + " " + o.action() + ")";
          LOG.info("{}: promoted {} (Promotion {} {})", where, latest, o.promotion(), o.action());
        }
      }
      if (unbound != null) {
        LOG.info("{}: {}", where, unbound);
      }
      Condition ready =
          Conditions.of(
              Kapro.ConditionTypes.READY,
              unbound == null ? ConditionStatus.True : ConditionStatus.False,
              unbound == null ? Kapro.Reasons.RECONCILED : SOURCE_GROUP_NOT_FOUND,
              unbound == null ? message : unbound + "; " + message,
              source.getMetadata().getGeneration());
      return new Outcome(ready, listing.listed(), versions, proven, available, promoted);
    } catch (SourceException e) {
      return fail(source, e.reason(), e);
    } catch (PublishException e) {
      return fail(source, Kapro.Reasons.INVALID_SPEC, e);
    } catch (OciException e) {
      String reason =
          e.reason() == OciException.Reason.TOO_LARGE
              ? "TooManyTags"
              : Kapro.Reasons.REGISTRY_UNAVAILABLE;
      return fail(source, reason, e);
    } catch (InboundException e) {
      return fail(source, "PromotionRefused", e);
    }
  }

  private static Outcome fail(Source source, String reason, RuntimeException e) {
    LOG.info(
        "Source {}/{}: {}",
        source.getMetadata().getNamespace(),
        source.getMetadata().getName(),
        e.getMessage());
    Condition c =
        Conditions.of(
            Kapro.ConditionTypes.READY,
            ConditionStatus.False,
            reason,
            e.getMessage(),
            source.getMetadata().getGeneration());
    return new Outcome(c, null, null, null, null, null);
  }

  private void write(
      KubernetesClient client, Source source, Instant now, String requested, Outcome o) {
    StatusUpdate.update(
        client,
        Source.class,
        source.getMetadata().getNamespace(),
        source.getMetadata().getName(),
        cur -> {
          SourceStatus st = cur.getStatus() == null ? new SourceStatus() : cur.getStatus();
          st.setConditions(Conditions.set(st.getConditions(), o.ready(), now));
          st.setLastCheckedAt(Times.format(now));
          if (requested != null) {
            st.setLastHandledCheckAt(requested);
          }
          if (o.versions() != null) {
            st.setTagsListed(o.tagsListed());
            st.setVersions(o.versions());
            st.setLatest(o.versions().isEmpty() ? null : o.versions().get(0).getVersion());
            st.setProven(o.proven());
            st.setAvailable(o.available());
            st.setPromoted(o.promoted());
          }
          // the generation this check read, not the current one: a spec changed during the
          // check is checked again
          st.setObservedGeneration(source.getMetadata().getGeneration());
          cur.setStatus(st);
          return true;
        });
  }

  /** The Promotion for the version, through the build-event rule (idempotent per version). */
  private static BuildTrigger.Outcome promote(
      KubernetesClient client, Source source, String version, String plan) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("fleet", source.getSpec().getFleet());
    data.put("unit", source.getSpec().getUnit());
    data.put("version", version);
    data.put("plan", plan);
    String ns = source.getMetadata().getNamespace();
    String id = "source/" + ns + "/" + source.getMetadata().getName() + "/" + version;
    return new BuildTrigger(client)
        .apply(
            ns,
            new InboundEvent(
                id, "kapro-hub/source/" + source.getMetadata().getName(), BuildTrigger.TYPE, data));
  }

  /**
   * The newest version of {@code unit} proven by evidence on the fleet's clusters; with a plan,
   * only on the clusters of its first stages (those without dependsOn).
   */
  static String proven(
      KubernetesClient client, Fleet fleet, Plan plan, String unit, TagPolicy policy) {
    return newest(policy, null, provenVersions(client, fleet, plan, unit));
  }

  /**
   * The versions of {@code unit} proven by evidence on the fleet's clusters; with a plan, only on
   * the clusters of its first stages (those without dependsOn).
   */
  static List<String> provenVersions(KubernetesClient client, Fleet fleet, Plan plan, String unit) {
    String ns = fleet.getMetadata().getNamespace();
    List<Fleet> fleets = client.resources(Fleet.class).inNamespace(ns).list().getItems();
    List<Stage> first = new ArrayList<>();
    if (plan != null && plan.getSpec() != null && plan.getSpec().getStages() != null) {
      for (Stage s : plan.getSpec().getStages()) {
        if (s.getDependsOn() == null || s.getDependsOn().isEmpty()) {
          first.add(s);
        }
      }
    }
    List<String> versions = new ArrayList<>();
    for (Cluster c : client.resources(Cluster.class).inNamespace(ns).list().getItems()) {
      var owner = Fleets.owner(fleets, c);
      if (owner.isEmpty()
          || !owner.get().getMetadata().getName().equals(fleet.getMetadata().getName())) {
        continue;
      }
      Map<String, String> labels =
          c.getMetadata().getLabels() == null ? Map.of() : c.getMetadata().getLabels();
      if (plan != null
          && first.stream()
              .noneMatch(s -> s.getSelector() == null || s.getSelector().matches(labels))) {
        continue;
      }
      ProvenVersion v =
          c.getStatus() == null || c.getStatus().getVersions() == null
              ? null
              : c.getStatus().getVersions().get(unit);
      if (v != null && v.getVersion() != null) {
        versions.add(v.getVersion());
      }
    }
    return versions;
  }

  /** The unit's versions in the fleet's Promotions (a manual promotion is a floor too). */
  static List<String> promotedElsewhere(KubernetesClient client, Fleet fleet, String unit) {
    List<String> out = new ArrayList<>();
    for (var p :
        client
            .resources(io.kapro.api.v1alpha2.Promotion.class)
            .inNamespace(fleet.getMetadata().getNamespace())
            .list()
            .getItems()) {
      if (p.getSpec() == null
          || !fleet.getMetadata().getName().equals(p.getSpec().getFleet())
          || p.getSpec().getUnits() == null) {
        continue;
      }
      p.getSpec().getUnits().stream()
          .filter(u -> unit.equals(u.getName()) && u.getVersion() != null)
          .forEach(u -> out.add(u.getVersion()));
    }
    return out;
  }

  /** The newest of {@code first} and {@code more} by the policy (unorderable ones ignored). */
  private static String newest(TagPolicy policy, String first, List<String> more) {
    String best = first;
    for (String v : more) {
      if (best == null) {
        best = policy.newerTag(v, v).isPresent() ? v : null;
      } else if (policy.newerTag(v, best).orElse(false)) {
        best = v;
      }
    }
    return best;
  }

  static Duration interval(Source source) {
    String text = source.getSpec() == null ? null : source.getSpec().getInterval();
    Duration d;
    try {
      d = Durations.parse(text == null ? "5m" : text);
    } catch (RuntimeException e) {
      throw new SourceException("spec.interval '" + text + "' is not a Go duration (e.g. 5m)");
    }
    if (d.compareTo(MIN_INTERVAL) < 0) {
      throw new SourceException(
          "spec.interval " + text + " is below the minimum " + Durations.format(MIN_INTERVAL));
    }
    return d;
  }

  private static String requested(Source source) {
    var a = source.getMetadata().getAnnotations();
    return a == null ? null : a.get(CHECK_REQUESTED_AT);
  }

  private static Instant parse(String time) {
    try {
      return Times.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
