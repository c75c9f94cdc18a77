package io.kapro.api.testing;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeSets;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local API server's indexes over the keys of fabric8's CRUD store (one {@link AttributeSet}
 * per stored object): by kind (api group + plural), by kind and namespace, by kind, namespace and
 * name, and by kind and label (every {@code key=value} label of every object). A lookup returns the
 * smallest candidate set a query allows; the caller still checks each candidate with {@link
 * AttributeSet#matches}, so the indexes only narrow, never decide. Not thread-safe: the dispatcher
 * calls it under the CRUD store's read/write lock.
 */
final class ObjectIndex {
  static final String API = "api";
  static final String PLURAL = "plural";
  static final String NAMESPACE = "namespace";
  static final String NAME = "name";
  static final String LABEL_PREFIX = "labels:";

  private final Map<List<String>, Set<AttributeSet>> byKind = new HashMap<>();
  private final Map<List<String>, Set<AttributeSet>> byNamespace = new HashMap<>();
  private final Map<List<String>, Set<AttributeSet>> byName = new HashMap<>();
  private final Map<List<String>, Set<AttributeSet>> byLabel = new HashMap<>();

  /** Indexes a stored key. */
  void add(AttributeSet key) {
    String plural = single(key, PLURAL);
    if (plural == null) {
      return; // not a resource the indexes can narrow to; lookups without a plural scan
    }
    String api = orEmpty(single(key, API));
    String ns = orEmpty(single(key, NAMESPACE));
    bucket(byKind, List.of(api, plural)).add(key);
    bucket(byNamespace, List.of(api, plural, ns)).add(key);
    String name = single(key, NAME);
    if (name != null) {
      bucket(byName, List.of(api, plural, ns, name)).add(key);
    }
    for (Attribute a : attributes(key)) {
      String k = a.getKey().toString();
      if (k.startsWith(LABEL_PREFIX) && a.getValues().size() == 1) {
        bucket(byLabel, List.of(api, plural, k, value(a))).add(key);
      }
    }
  }

  /** Drops a stored key from every index. */
  void remove(AttributeSet key) {
    String plural = single(key, PLURAL);
    if (plural == null) {
      return;
    }
    String api = orEmpty(single(key, API));
    String ns = orEmpty(single(key, NAMESPACE));
    drop(byKind, List.of(api, plural), key);
    drop(byNamespace, List.of(api, plural, ns), key);
    String name = single(key, NAME);
    if (name != null) {
      drop(byName, List.of(api, plural, ns, name), key);
    }
    for (Attribute a : attributes(key)) {
      String k = a.getKey().toString();
      if (k.startsWith(LABEL_PREFIX) && a.getValues().size() == 1) {
        drop(byLabel, List.of(api, plural, k, value(a)), key);
      }
    }
  }

  void clear() {
    byKind.clear();
    byNamespace.clear();
    byName.clear();
    byLabel.clear();
  }

  /**
   * The keys that may match {@code query} (a superset of the matches), or null when the query names
   * no kind and only a full scan can answer it.
   */
  Collection<AttributeSet> candidates(AttributeSet query) {
    String plural = single(query, PLURAL);
    if (plural == null) {
      return null;
    }
    String api = orEmpty(single(query, API));
    String ns = single(query, NAMESPACE);
    String name = single(query, NAME);
    if (ns != null && name != null) {
      return byName.getOrDefault(List.of(api, plural, ns, name), Set.of());
    }
    Set<AttributeSet> best =
        ns != null
            ? byNamespace.getOrDefault(List.of(api, plural, ns), Set.of())
            : byKind.getOrDefault(List.of(api, plural), Set.of());
    for (Attribute a : attributes(query)) {
      String k = a.getKey().toString();
      if (k.startsWith(LABEL_PREFIX)
          && a.getType() == AttributeType.WITH
          && a.getValues().size() == 1) {
        Set<AttributeSet> labelled =
            byLabel.getOrDefault(List.of(api, plural, k, value(a)), Set.of());
        if (labelled.size() < best.size()) {
          best = labelled;
        }
      }
    }
    return best;
  }

  /** Every indexed key (for consistency checks). */
  Set<AttributeSet> all() {
    Set<AttributeSet> out = new LinkedHashSet<>();
    byKind.values().forEach(out::addAll);
    return out;
  }

  private static Set<AttributeSet> bucket(
      Map<List<String>, Set<AttributeSet>> index, List<String> k) {
    return index.computeIfAbsent(k, x -> new LinkedHashSet<>());
  }

  private static void drop(
      Map<List<String>, Set<AttributeSet>> index, List<String> k, AttributeSet key) {
    Set<AttributeSet> set = index.get(k);
    if (set != null) {
      set.remove(key);
      if (set.isEmpty()) {
        index.remove(k);
      }
    }
  }

  /** The single value of an equality attribute, or null. */
  static String single(AttributeSet set, String key) {
    Attribute a = set.getAttribute(key);
    if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
      return null;
    }
    return value(a);
  }

  private static String value(Attribute a) {
    Value v = a.getValues().get(0);
    return v.toString();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static List<Attribute> attributes(AttributeSet set) {
    return new ArrayList<>(AttributeSets.attributes(set));
  }
}
