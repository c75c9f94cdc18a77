package io.kapro.hub.source;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kapro.api.Conditions;
import io.kapro.api.Kapro;
import io.kapro.api.v1alpha2.Condition;
import io.kapro.api.v1alpha2.ConditionStatus;
import io.kapro.api.v1alpha2.DiscoveredSet;
import io.kapro.api.v1alpha2.Fleet;
import io.kapro.api.v1alpha2.Plan;
import io.kapro.api.v1alpha2.PromotionMode;
import io.kapro.api.v1alpha2.Source;
import io.kapro.api.v1alpha2.SourceGroup;
import io.kapro.api.v1alpha2.SourceGroupStatus;
import io.kapro.hub.events.inbound.BuildTrigger;
import io.kapro.hub.kube.StatusUpdate;
import io.kapro.hub.source.SourceSets.Assembly;
import io.kapro.hub.source.SourceSets.Verdict;
import io.kapro.hub.source.SourceSets.VersionOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a {@link SourceGroup}'s sets whenever a member Source records something (its status
 * changes), the group's spec or its Fleet changes, and every {@link #RESYNC}: the members' newest
 * versions form one set ({@link SourceSets#assemble}); a new set goes in front of the bounded
 * record. With the Fleet's {@code spec.sources} promotion {@code Auto}, the newest set not yet
 * promoted goes into Promotion {@code <fleet>-<group>} with every member's version in one write
 * (one run moves them together; a spec change supersedes the run still going), and only when no
 * member would go below what the plan's first stage proved or what the fleet's Promotions carry.
 * Member Sources do not promote their units alone. Every refusal is reported on the group's Ready
 * condition; none of it escapes into the hub.
 */
public final class SourceGroupReconciler implements Reconciler<SourceGroup> {
  private static final Logger LOG = LoggerFactory.getLogger(SourceGroupReconciler.class);

  /** The label a group's Promotion carries (and is recognised by). */
  public static final String GROUP_LABEL = SetPromotion.GROUP_LABEL;

  /** Ready's reason while a member Source does not name the group in its {@code spec.group}. */
  static final String MEMBER_NOT_BOUND = "MemberNotBound";

  /** Re-evaluated this often even without events (the proven versions move with evidence). */
  static final Duration RESYNC = Duration.ofMinutes(5);

  /** A Promotion write that failed (an API server error) is tried again after this. */
  static final Duration RETRY = Duration.ofSeconds(5);

  private static final java.util.regex.Pattern OBJECT_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private final Clock clock;

  public SourceGroupReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, SourceGroup>> prepareEventSources(
      EventSourceContext<SourceGroup> ctx) {
    var groups = ctx.getPrimaryCache();
    var sources =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Source.class, SourceGroup.class)
                .withSecondaryToPrimaryMapper(
                    s ->
                        groups
                            .list(
                                s.getMetadata().getNamespace(),
                                g ->
                                    g.getSpec() != null
                                        && g.getSpec().getSources() != null
                                        && g.getSpec()
                                            .getSources()
                                            .contains(s.getMetadata().getName()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            ctx);
    var fleets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Fleet.class, SourceGroup.class)
                .withSecondaryToPrimaryMapper(
                    f ->
                        groups
                            .list(
                                f.getMetadata().getNamespace(),
                                g ->
                                    g.getSpec() != null
                                        && f.getMetadata().getName().equals(g.getSpec().getFleet()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            ctx);
    return List.of(sources, fleets);
  }

  @Override
  public UpdateControl<SourceGroup> reconcile(SourceGroup cached, Context<SourceGroup> ctx) {
    Instant now = clock.instant();
    // the recorded sets are the input of the next set: read them fresh (one GET), not from a cache
    // that may not have seen this reconciler's last write yet
    SourceGroup group =
        ctx.getClient()
            .resources(SourceGroup.class)
            .inNamespace(cached.getMetadata().getNamespace())
            .withName(cached.getMetadata().getName())
            .get();
    if (group == null) {
      return UpdateControl.noUpdate();
    }
    Outcome o =
        evaluate(ctx.getClient(), group, now, cached(ctx, Source.class), cached(ctx, Fleet.class));
    StatusUpdate.update(
        ctx.getClient(),
        SourceGroup.class,
        group.getMetadata().getNamespace(),
        group.getMetadata().getName(),
        cur -> {
          SourceGroupStatus before = cur.getStatus();
          SourceGroupStatus st = before == null ? new SourceGroupStatus() : copy(before);
          st.setConditions(Conditions.set(st.getConditions(), o.ready(), now));
          if (o.sets() != null) {
            st.setSets(o.sets());
            st.setLatest(o.sets().isEmpty() ? null : SourceSets.summary(o.sets().get(0)));
            st.setProven(o.proven());
            st.setAvailable(o.available());
          }
          if (o.promoted() != null) {
            st.setPromoted(o.promoted());
          }
          st.setObservedGeneration(group.getMetadata().getGeneration());
          if (st.equals(before)) {
            return false;
          }
          cur.setStatus(st);
          return true;
        });
    return UpdateControl.<SourceGroup>noUpdate().rescheduleAfter(o.retrySoon() ? RETRY : RESYNC);
  }

  /** What one evaluation found (sets null: keep the recorded ones). */
  record Outcome(
      Condition ready,
      List<DiscoveredSet> sets,
      String proven,
      List<String> available,
      String promoted,
      boolean retrySoon) {}

  /**
   * The informer's copy of a {@code type} object of the group's namespace by name (a read from the
   * cache, no request); null when absent.
   */
  @SuppressWarnings("unchecked")
  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      java.util.function.BiFunction<String, String, R> cached(
          Context<SourceGroup> ctx, Class<R> type) {
    var es = ctx.eventSourceRetriever().getEventSourceFor(type);
    var informer = (InformerEventSource<R, SourceGroup>) es;
    return (ns, name) -> informer.get(new ResourceID(name, ns)).orElse(null);
  }

  Outcome evaluate(
      KubernetesClient client,
      SourceGroup group,
      Instant now,
      java.util.function.BiFunction<String, String, Source> sources,
      java.util.function.BiFunction<String, String, Fleet> fleets) {
    String ns = group.getMetadata().getNamespace();
    var spec = group.getSpec();
    String where = "SourceGroup " + ns + "/" + group.getMetadata().getName();
    try {
      if (spec == null || spec.getFleet() == null) {
        throw new SourceException("spec.fleet: required (the fleet whose units move together)");
      }
      if (spec.getSources() == null || spec.getSources().isEmpty()) {
        throw new SourceException("spec.sources: name at least one Source");
      }
      for (String name : spec.getSources()) {
        if (name == null || name.length() > 253 || !OBJECT_NAME.matcher(name).matches()) {
          throw new SourceException(
              "spec.sources: '"
                  + (name == null ? null : name.substring(0, Math.min(name.length(), 64)))
                  + "' is not a Source name (lowercase letters, digits, '-' and '.')");
        }
      }
      if (new HashSet<>(spec.getSources()).size() != spec.getSources().size()) {
        throw new SourceException("spec.sources: a Source is named twice");
      }
      Fleet fleet = fleets.apply(ns, spec.getFleet());
      if (fleet == null) {
        return fail(
            group,
            Kapro.Reasons.FLEET_NOT_FOUND,
            "spec.fleet: Fleet " + ns + "/" + spec.getFleet() + " does not exist; create it");
      }
      String groupName = group.getMetadata().getName();
      if (fleet.getSpec() != null
          && fleet.getSpec().getUnits() != null
          && fleet.getSpec().getUnits().stream().anyMatch(u -> groupName.equals(u.getName()))) {
        throw new SourceException(
            "metadata.name: "
                + groupName
                + " is also a unit of Fleet "
                + spec.getFleet()
                + " (Promotion "
                + BuildTrigger.name(spec.getFleet(), groupName)
                + " would be shared with that unit's); rename the SourceGroup");
      }
      List<SourceSets.Member> members = new ArrayList<>();
      Map<String, VersionOrder> orders = new HashMap<>();
      Map<String, String> proven = new LinkedHashMap<>();
      for (String name : spec.getSources()) {
        Source src = sources.apply(ns, name);
        if (src == null) {
          return fail(
              group,
              "SourceNotFound",
              "spec.sources: Source " + ns + "/" + name + " does not exist; create it");
        }
        if (src.getSpec() == null || !spec.getFleet().equals(src.getSpec().getFleet())) {
          throw new SourceException(
              "spec.sources: Source "
                  + name
                  + " feeds fleet "
                  + (src.getSpec() == null ? null : src.getSpec().getFleet())
                  + ", not "
                  + spec.getFleet());
        }
        String unit = src.getSpec().getUnit();
        if (orders.containsKey(unit)) {
          throw new SourceException(
              "spec.sources: two Sources feed unit " + unit + "; a set carries one version a unit");
        }
        var recorded = src.getStatus() == null ? null : src.getStatus().getVersions();
        VersionOrder order = VersionOrder.of(recorded, policyOrder(src));
        orders.put(unit, order);
        if (src.getStatus() != null && src.getStatus().getProven() != null) {
          proven.put(unit, src.getStatus().getProven());
        }
        members.add(new SourceSets.Member(name, unit, recorded, order));
      }
      int limit = spec.getHistoryLimit() == null ? 10 : spec.getHistoryLimit();
      List<DiscoveredSet> previous = group.getStatus() == null ? null : group.getStatus().getSets();
      Assembly a = SourceSets.assemble(members, previous, limit, now);
      if (a instanceof Assembly.Waiting w) {
        return fail(group, "NoVersionYet", w.message());
      }
      if (a instanceof Assembly.Refused r) {
        return fail(group, "MemberMovedBack", r.message());
      }
      List<DiscoveredSet> sets = ((Assembly.Sets) a).sets();
      if (((Assembly.Sets) a).added()) {
        LOG.info(
            "{}: new set {} ({})", where, sets.get(0).getName(), SourceSets.summary(sets.get(0)));
      }
      List<String> available = SourceSets.available(sets, proven, orders);
      String provenText =
          proven.isEmpty()
              ? null
              : proven.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(" "));
      DiscoveredSet newest = sets.get(0);
      String message =
          sets.size()
              + " sets kept, newest "
              + newest.getName()
              + " ("
              + SourceSets.summary(newest)
              + ")"
              + (available.isEmpty() ? "" : "; available, not yet promoted: " + available.size());
      String promoted = null;
      var policy = fleet.getSpec() == null ? null : fleet.getSpec().getSources();
      String already = group.getStatus() == null ? null : group.getStatus().getPromoted();
      if (policy != null
          && policy.getPromotion() == PromotionMode.Auto
          && !newest.getName().equals(already)) {
        Plan plan = client.resources(Plan.class).inNamespace(ns).withName(policy.getPlan()).get();
        if (plan == null) {
          throw new SourceException(
              "Fleet "
                  + spec.getFleet()
                  + " spec.sources.plan: Plan "
                  + policy.getPlan()
                  + " does not exist; create it or set promotion Manual");
        }
        // a member that does not name this group in spec.group may have promoted its unit alone
        // (checked before the group existed) and may again: no set moves until every one does
        List<String> unnamed =
            spec.getSources().stream()
                .filter(n -> !groupName.equals(sources.apply(ns, n).getSpec().getGroup()))
                .toList();
        if (!unnamed.isEmpty()) {
          String m =
              message
                  + "; set "
                  + newest.getName()
                  + " not promoted: Source "
                  + String.join(", ", unnamed)
                  + " does not name this group; set spec.group: "
                  + groupName
                  + " on it (a member that does not name its group may promote its unit alone)";
          LOG.info("{}: {}", where, m);
          return new Outcome(
              Conditions.of(
                  Kapro.ConditionTypes.READY,
                  ConditionStatus.False,
                  MEMBER_NOT_BOUND,
                  m,
                  group.getMetadata().getGeneration()),
              sets,
              provenText,
              available,
              null,
              false);
        }
        Map<String, String> floors = SetPromotion.floors(client, fleet, plan, newest, orders);
        Verdict v = SourceSets.judge(newest, floors, orders);
        if (v instanceof Verdict.Backwards b) {
          message += "; set " + newest.getName() + " not promoted: " + b.message();
          LOG.info("{}: set {} not promoted: {}", where, newest.getName(), b.message());
        } else if (v instanceof Verdict.Newer) {
          String action;
          try {
            action = SetPromotion.promote(client, group, policy.getPlan(), newest);
          } catch (KubernetesClientException e) {
            // the set stays recorded; the promotion is tried again soon
            String m =
                message
                    + "; set "
                    + newest.getName()
                    + " not promoted yet: writing the Promotion failed ("
                    + e.getMessage()
                    + "); trying again";
            LOG.info("{}: {}", where, m);
            return new Outcome(
                Conditions.of(
                    Kapro.ConditionTypes.READY,
                    ConditionStatus.False,
                    "PromotionFailed",
                    m,
                    group.getMetadata().getGeneration()),
                sets,
                provenText,
                available,
                null,
                true);
          }
          promoted = newest.getName();
          message +=
              "; promoted set "
                  + promoted
                  + " (Promotion "
                  + BuildTrigger.name(spec.getFleet(), groupName)
                  + " "
                  + action
                  + ")";
          LOG.info("{}: promoted set {} ({})", where, promoted, action);
        }
      }
      Condition ready =
          Conditions.of(
              Kapro.ConditionTypes.READY,
              ConditionStatus.True,
              Kapro.Reasons.RECONCILED,
              message,
              group.getMetadata().getGeneration());
      return new Outcome(ready, sets, provenText, available, promoted, false);
    } catch (SourceException e) {
      return fail(group, Kapro.Reasons.INVALID_SPEC, e.getMessage());
    }
  }

  /**
   * Why the SourceGroup the Source names in {@code spec.group} does not take it (one GET): absent,
   * of another fleet, or not listing it; null when it does.
   */
  static String unbound(KubernetesClient client, Source source) {
    String ns = source.getMetadata().getNamespace();
    String name = source.getMetadata().getName();
    String named = source.getSpec().getGroup();
    SourceGroup g = client.resources(SourceGroup.class).inNamespace(ns).withName(named).get();
    if (g == null) {
      return "spec.group: SourceGroup "
          + ns
          + "/"
          + named
          + " does not exist; create it (listing "
          + name
          + " in spec.sources) or remove spec.group. Until then the unit is not promoted";
    }
    if (g.getSpec() == null
        || !Objects.equals(source.getSpec().getFleet(), g.getSpec().getFleet())) {
      return "spec.group: SourceGroup "
          + named
          + " is for fleet "
          + (g.getSpec() == null ? null : g.getSpec().getFleet())
          + ", not "
          + source.getSpec().getFleet()
          + "; name a group of this Source's fleet. Until then the unit is not promoted";
    }
    if (g.getSpec().getSources() == null || !g.getSpec().getSources().contains(name)) {
      return "spec.group: SourceGroup "
          + named
          + " does not list "
          + name
          + " in spec.sources; add it there or remove spec.group. Until then the unit is not"
          + " promoted";
    }
    return null;
  }

  /** The SourceGroup of the Source's fleet that lists it, if any (its unit moves with the set). */
  static Optional<String> groupOf(KubernetesClient client, Source source) {
    String name = source.getMetadata().getName();
    String fleet = source.getSpec() == null ? null : source.getSpec().getFleet();
    return client
        .resources(SourceGroup.class)
        .inNamespace(source.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(
            g ->
                g.getSpec() != null
                    && Objects.equals(fleet, g.getSpec().getFleet())
                    && g.getSpec().getSources() != null
                    && g.getSpec().getSources().contains(name))
        .map(g -> g.getMetadata().getName())
        .sorted()
        .findFirst();
  }

  /** The member's tag policy as an order, when its spec has one. */
  private static VersionOrder policyOrder(Source src) {
    try {
      TagPolicy p = TagPolicy.of(src.getSpec());
      return p::newerTag;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Outcome fail(SourceGroup group, String reason, String message) {
    LOG.info(
        "SourceGroup {}/{}: {}",
        group.getMetadata().getNamespace(),
        group.getMetadata().getName(),
        message);
    Condition c =
        Conditions.of(
            Kapro.ConditionTypes.READY,
            ConditionStatus.False,
            reason,
            message,
            group.getMetadata().getGeneration());
    return new Outcome(c, null, null, null, null, false);
  }

  private static SourceGroupStatus copy(SourceGroupStatus s) {
    SourceGroupStatus c = new SourceGroupStatus();
    c.setConditions(s.getConditions() == null ? null : new ArrayList<>(s.getConditions()));
    c.setLatest(s.getLatest());
    c.setSets(s.getSets());
    c.setProven(s.getProven());
    c.setAvailable(s.getAvailable());
    c.setPromoted(s.getPromoted());
    c.setObservedGeneration(s.getObservedGeneration());
    return c;
  }
}
