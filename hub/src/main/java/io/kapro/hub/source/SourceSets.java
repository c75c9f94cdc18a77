package io.kapro.hub.source;

import io.kapro.api.v1alpha2.DiscoveredSet;
import io.kapro.api.v1alpha2.DiscoveredVersion;
import io.kapro.api.v1alpha2.SetMember;
import io.kapro.hub.kube.ResourceNames;
import io.kapro.hub.kube.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a {@link io.kapro.api.v1alpha2.SourceGroup} turns its members' recorded versions into sets
 * (Kargo's Freight) and which set may be promoted. Built only on what each member Source recorded
 * ({@code status.versions}, newest first), so it holds for every subscription kind. Pure.
 */
public final class SourceSets {
  private SourceSets() {}

  /** Orders two versions of one member: empty when they cannot be compared. */
  @FunctionalInterface
  public interface VersionOrder {
    Optional<Boolean> newer(String a, String b);

    /**
     * The Source's own record first (the position in its newest-first history), then its tag policy
     * (when the versions are no longer both recorded).
     */
    static VersionOrder of(List<DiscoveredVersion> history, VersionOrder policy) {
      List<String> order =
          history == null ? List.of() : history.stream().map(v -> v.getVersion()).toList();
      return (a, b) -> {
        int ia = order.indexOf(a);
        int ib = order.indexOf(b);
        if (ia >= 0 && ib >= 0) {
          return Optional.of(ia < ib);
        }
        return policy == null ? Optional.empty() : policy.newer(a, b);
      };
    }
  }

  /** One member: its Source, the unit it feeds, what it recorded (newest first), its order. */
  public record Member(
      String source, String unit, List<DiscoveredVersion> versions, VersionOrder order) {}

  /** What assembling found. */
  public sealed interface Assembly {
    /** The record to keep (newest first); {@code added} is true when its head is new. */
    record Sets(List<DiscoveredSet> sets, boolean added) implements Assembly {}

    /** A member has no version yet: no set. */
    record Waiting(String message) implements Assembly {}

    /** A member's newest version is older than in the newest set: no set (fail closed). */
    record Refused(String message) implements Assembly {}
  }

  /**
   * The set of every member's newest recorded version, added in front of {@code previous} when it
   * differs from the newest set recorded (bounded by {@code limit}). No set while a member has no
   * version; none when a member's newest version is not newer than its version in the newest set (a
   * tag removed or moved back: a set never moves a member backwards).
   */
  public static Assembly assemble(
      List<Member> members, List<DiscoveredSet> previous, int limit, Instant now) {
    List<DiscoveredSet> prev = previous == null ? List.of() : previous;
    List<SetMember> current = new ArrayList<>();
    for (Member m : members) {
      if (m.versions() == null || m.versions().isEmpty()) {
        return new Assembly.Waiting(
            "Source " + m.source() + " (unit " + m.unit() + ") has no version yet; no set");
      }
      DiscoveredVersion v = m.versions().get(0);
      SetMember s = new SetMember();
      s.setSource(m.source());
      s.setUnit(m.unit());
      s.setVersion(v.getVersion());
      s.setDigest(v.getDigest());
      s.setOrigin(v.getOrigin());
      current.add(s);
    }
    DiscoveredSet newest = prev.isEmpty() ? null : prev.get(0);
    if (newest != null) {
      Map<String, String> before = versions(newest);
      boolean same = before.size() == current.size();
      for (int i = 0; i < members.size(); i++) {
        SetMember c = current.get(i);
        String old = before.get(c.getUnit());
        if (old == null || old.equals(c.getVersion())) {
          same &= old != null;
          continue;
        }
        same = false;
        if (!members.get(i).order().newer(c.getVersion(), old).orElse(false)) {
          return new Assembly.Refused(
              "Source "
                  + c.getSource()
                  + " (unit "
                  + c.getUnit()
                  + "): newest version "
                  + c.getVersion()
                  + " is not newer than "
                  + old
                  + " in set "
                  + newest.getName()
                  + " (a tag removed or moved back?); no set moves a unit backwards");
        }
      }
      if (same) {
        return new Assembly.Sets(prev, false);
      }
    }
    DiscoveredSet set = new DiscoveredSet();
    set.setName(name(current));
    set.setMembers(current);
    set.setDiscoveredAt(Times.format(now));
    List<DiscoveredSet> out = new ArrayList<>();
    out.add(set);
    for (DiscoveredSet p : prev) {
      if (out.size() >= limit) {
        break;
      }
      if (!p.getName().equals(set.getName())) {
        out.add(p);
      }
    }
    return new Assembly.Sets(out, true);
  }

  /** Whether a set may move the fleet, given a floor per unit it must not go below. */
  public sealed interface Verdict {
    /** At least one member is newer than its floor and none is older. */
    record Newer() implements Verdict {}

    /** Every member is at its floor: nothing to move. */
    record Same() implements Verdict {}

    /** A member would go below its floor (or cannot be shown not to). */
    record Backwards(String message) implements Verdict {}
  }

  /**
   * Judges {@code set} against {@code floors} (unit → the version it must not go below: what the
   * first stage proved, what the fleet's Promotions carry; absent when nothing is known).
   */
  public static Verdict judge(
      DiscoveredSet set, Map<String, String> floors, Map<String, VersionOrder> orders) {
    boolean newer = false;
    for (SetMember m : set.getMembers()) {
      String floor = floors.get(m.getUnit());
      if (floor == null) {
        newer = true;
        continue;
      }
      if (floor.equals(m.getVersion())) {
        continue;
      }
      VersionOrder order = orders.get(m.getUnit());
      Optional<Boolean> n = order == null ? Optional.empty() : order.newer(m.getVersion(), floor);
      if (n.isEmpty() || !n.get()) {
        return new Verdict.Backwards(
            "unit "
                + m.getUnit()
                + " "
                + m.getVersion()
                + (n.isEmpty() ? " cannot be ordered against " : " is older than ")
                + floor);
      }
      newer = true;
    }
    return newer ? new Verdict.Newer() : new Verdict.Same();
  }

  /**
   * The recorded sets newer than what the fleet proved (a member newer, none older), newest first:
   * available, not yet promoted.
   */
  public static List<String> available(
      List<DiscoveredSet> sets, Map<String, String> proven, Map<String, VersionOrder> orders) {
    List<String> out = new ArrayList<>();
    for (DiscoveredSet s : sets == null ? List.<DiscoveredSet>of() : sets) {
      if (judge(s, proven, orders) instanceof Verdict.Newer) {
        out.add(s.getName());
      }
    }
    return out;
  }

  /** {@code unit=version} pairs of a set, in member order ({@code web=1.2.0 chart=0.3.1}). */
  public static String summary(DiscoveredSet set) {
    return set.getMembers().stream()
        .map(m -> m.getUnit() + "=" + m.getVersion())
        .collect(Collectors.joining(" "));
  }

  /** unit → version of a set. */
  public static Map<String, String> versions(DiscoveredSet set) {
    return set.getMembers().stream()
        .filter(m -> m.getUnit() != null && m.getVersion() != null)
        .collect(
            Collectors.toMap(
                SetMember::getUnit, SetMember::getVersion, (a, b) -> a, java.util.TreeMap::new));
  }

  /** A set's name: the first 10 hex digits of the SHA-256 of its unit@version:digest list. */
  static String name(List<SetMember> members) {
    String text =
        members.stream()
            .map(
                m ->
                    m.getUnit()
                        + "@"
                        + m.getVersion()
                        + ":"
                        + Objects.requireNonNullElse(m.getDigest(), ""))
            .collect(Collectors.joining("\n"));
    return ResourceNames.sha256(text).substring(0, 10);
  }
}
