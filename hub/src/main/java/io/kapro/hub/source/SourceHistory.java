package io.kapro.hub.source;

import io.kapro.api.v1alpha2.DiscoveredVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The record a Source keeps: the newest {@code limit} versions, newest first. A version already
 * recorded keeps its digest and first-seen time (a tag is resolved once, like Flux's default digest
 * reflection {@code IfNotPresent}); a version no longer listed leaves the record. Pure.
 */
public final class SourceHistory {
  private SourceHistory() {}

  /**
   * @param candidates the policy's selection, newest first
   * @param digest resolves a new tag to its manifest digest (called only for tags not yet recorded)
   * @param origin where a tag was found ({@code registry/repository:tag})
   */
  public static List<DiscoveredVersion> merge(
      List<DiscoveredVersion> previous,
      List<TagPolicy.Candidate> candidates,
      int limit,
      Function<String, String> digest,
      Function<String, String> origin,
      Instant now) {
    Map<String, DiscoveredVersion> known = new HashMap<>();
    for (DiscoveredVersion v : previous == null ? List.<DiscoveredVersion>of() : previous) {
      known.put(v.getVersion(), v);
    }
    List<DiscoveredVersion> out = new ArrayList<>();
    for (TagPolicy.Candidate c : candidates) {
      if (out.size() >= limit) {
        break;
      }
      DiscoveredVersion old = known.get(c.tag());
      if (old != null) {
        out.add(old);
        continue;
      }
      DiscoveredVersion v = new DiscoveredVersion();
      v.setVersion(c.tag());
      v.setDigest(digest.apply(c.tag()));
      v.setOrigin(origin.apply(c.tag()));
      v.setDiscoveredAt(io.kapro.hub.kube.Times.format(now));
      out.add(v);
    }
    return out;
  }

  /**
   * The recorded versions newer than {@code proven} (all of them when nothing is proven yet),
   * newest first: available, not yet promoted. A version the policy cannot compare with {@code
   * proven} is left out (it cannot be shown to be newer).
   */
  public static List<String> available(
      List<DiscoveredVersion> versions, String proven, TagPolicy policy) {
    List<String> out = new ArrayList<>();
    for (DiscoveredVersion v : versions) {
      if (proven == null || policy.newerTag(v.getVersion(), proven).orElse(false)) {
        out.add(v.getVersion());
      }
    }
    return out;
  }
}
