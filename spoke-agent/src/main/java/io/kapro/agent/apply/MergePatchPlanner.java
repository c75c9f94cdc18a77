package io.kapro.agent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.agent.apply.ApplyException.Reason;
import io.kapro.agent.config.FieldPath;
import io.kapro.agent.config.FieldPath.Index;
import io.kapro.agent.config.FieldPath.Key;
import io.kapro.agent.config.FieldPath.Match;
import io.kapro.agent.config.FieldPath.Step;
import io.kapro.oci.bundle.ObjectReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns field sets into a JSON merge patch (RFC 7386) that changes exactly those fields. Merge
 * patches replace lists whole, so a path through a list step carries the current list with the one
 * element changed. Pure: no client.
 */
final class MergePatchPlanner {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * The outcome for one object.
   *
   * @param working the object as it will be after the patch
   * @param patch the merge patch to send
   * @param revert a merge patch that restores the fields touched, from the object as read
   * @param touchesList whether a list is written back whole (then the write must be conditional)
   */
  record Plan(ObjectNode working, ObjectNode patch, ObjectNode revert, boolean touchesList) {}

  /**
   * One field to set.
   *
   * @param mayCreate whether the field (and the maps leading to it) may be created when the object
   *     lacks it: only when an exact allow-list pattern permits it
   */
  record Change(FieldPath path, String value, boolean mayCreate) {
    Change(FieldPath path, String value) {
      this(path, value, true);
    }
  }

  private MergePatchPlanner() {}

  static Plan plan(ObjectReference ref, ObjectNode current, List<Change> changes) {
    ObjectNode working = current.deepCopy();
    ObjectNode patch = JSON.objectNode();
    ObjectNode revert = JSON.objectNode();
    boolean touchesList = false;
    for (Change change : changes) {
      set(ref, working, change);
    }
    for (Change change : changes) {
      List<String> prefix = new ArrayList<>();
      for (Step step : change.path().steps()) {
        if (!(step instanceof Key k)) {
          touchesList = true;
          break;
        }
        prefix.add(k.name());
      }
      project(working, prefix, patch);
      project(current, prefix, revert);
    }
    return new Plan(working, patch, revert, touchesList);
  }

  /** Copies the value at {@code keys} in {@code source} into {@code into}; absent becomes null. */
  private static void project(ObjectNode source, List<String> keys, ObjectNode into) {
    JsonNode from = source;
    ObjectNode to = into;
    for (int i = 0; i < keys.size() - 1; i++) {
      from = from == null ? null : from.get(keys.get(i));
      JsonNode existing = to.get(keys.get(i));
      to = existing instanceof ObjectNode o ? o : to.putObject(keys.get(i));
    }
    JsonNode leaf = from == null ? null : from.get(keys.getLast());
    to.set(keys.getLast(), leaf == null ? NullNode.getInstance() : leaf.deepCopy());
  }

  private static void set(ObjectReference ref, ObjectNode root, Change change) {
    List<Step> steps = change.path().steps();
    JsonNode node = root;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean last = i == steps.size() - 1;
      Step next = last ? null : steps.get(i + 1);
      switch (step) {
        case Key k -> {
          if (!(node instanceof ObjectNode obj)) {
            throw unresolvable(
                ref, change, "'" + k.name() + "' is looked up in something that is not a map");
          }
          JsonNode child = obj.get(k.name());
          if ((child == null || child.isNull()) && !change.mayCreate()) {
            throw new ApplyException(
                Reason.NOT_ALLOWED,
                ref,
                change.path().text(),
                "field "
                    + change.path().text()
                    + " of "
                    + ref
                    + " does not exist ('"
                    + k.name()
                    + "' is missing) and only an allow-list pattern with wildcards permits it;"
                    + " a field is created only when an exact pattern names it");
          }
          if (last) {
            if (child != null && (child.isContainerNode())) {
              throw unresolvable(ref, change, "would replace a map or list with a string");
            }
            obj.put(k.name(), change.value());
            return;
          }
          if (child == null || child.isNull()) {
            if (next instanceof Index) {
              throw unresolvable(ref, change, "list '" + k.name() + "' does not exist");
            }
            child = next instanceof Key ? obj.putObject(k.name()) : obj.putArray(k.name());
          }
          node = child;
        }
        case Index x -> {
          if (!(node instanceof ArrayNode arr)) {
            throw unresolvable(
                ref,
                change,
                "index [" + x.index() + "] is applied to something that is not a list");
          }
          if (x.index() >= arr.size()) {
            throw unresolvable(
                ref,
                change,
                "index [" + x.index() + "] is out of range (list has " + arr.size() + ")");
          }
          if (last) {
            if (arr.get(x.index()).isContainerNode()) {
              throw unresolvable(ref, change, "would replace a map or list with a string");
            }
            arr.set(x.index(), change.value());
            return;
          }
          node = arr.get(x.index());
        }
        case Match m -> {
          if (last) {
            setImage(ref, change, node, m);
            return;
          }
          if (!(node instanceof ArrayNode arr)) {
            throw unresolvable(
                ref,
                change,
                "[" + m.key() + "=" + m.value() + "] is applied to something that is not a list");
          }
          node = element(ref, change, arr, m);
        }
        default -> throw unresolvable(ref, change, "holds a wildcard");
      }
    }
  }

  /** {@code [image=name]} as the last step: replace (or add) that image's override string. */
  private static void setImage(ObjectReference ref, Change change, JsonNode node, Match m) {
    if (!m.key().equals(ImageRefs.MATCH_KEY) || !(node instanceof ArrayNode arr)) {
      throw unresolvable(
          ref, change, "ends with a list match; name a field of the element or use [image=name]");
    }
    if (!ImageRefs.nameOf(change.value()).equals(m.value())) {
      throw unresolvable(
          ref, change, "value '" + change.value() + "' is not an override for image " + m.value());
    }
    int found = -1;
    for (int i = 0; i < arr.size(); i++) {
      if (arr.get(i).isTextual() && ImageRefs.nameOf(arr.get(i).textValue()).equals(m.value())) {
        if (found >= 0) {
          throw unresolvable(ref, change, "more than one entry overrides image " + m.value());
        }
        found = i;
      } else if (!arr.get(i).isTextual()) {
        throw unresolvable(ref, change, "[image=...] is applied to a list that is not of strings");
      }
    }
    if (found >= 0) {
      arr.set(found, change.value());
    } else {
      arr.add(change.value());
    }
  }

  private static JsonNode element(ObjectReference ref, Change change, ArrayNode arr, Match m) {
    JsonNode found = null;
    for (JsonNode el : arr) {
      if (el.isObject()
          && el.path(m.key()).isTextual()
          && el.path(m.key()).textValue().equals(m.value())) {
        if (found != null) {
          throw unresolvable(ref, change, "more than one element has " + m.key() + "=" + m.value());
        }
        found = el;
      }
    }
    if (found == null) {
      ObjectNode created = arr.addObject();
      created.put(m.key(), m.value());
      found = created;
    }
    return found;
  }

  private static ApplyException unresolvable(ObjectReference ref, Change change, String why) {
    return new ApplyException(
        Reason.PATH_UNRESOLVABLE,
        ref,
        change.path().text(),
        "field " + change.path().text() + " of " + ref + " cannot be set: " + why);
  }
}
