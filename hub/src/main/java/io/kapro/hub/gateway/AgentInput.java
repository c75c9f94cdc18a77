package io.kapro.hub.gateway;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.agent.v1.BundleRejection;
import io.kapro.agent.v1.Evidence;
import io.kapro.agent.v1.FieldDrift;
import io.kapro.agent.v1.Hello;
import io.kapro.agent.v1.ObservedCondition;
import io.kapro.agent.v1.UnitEvidence;

/**
 * The one place where what an agent sends is cut to size before the hub keeps it (queues it, or
 * writes any of it into Cluster or Target status): every string is capped ({@link #MAX_NAME} for
 * names, {@link #MAX_VALUE} for versions, revisions and digests, {@link #MAX_TEXT} for messages),
 * and every list ({@link #MAX_UNITS} units, {@link #MAX_CONDITIONS} conditions, {@link #MAX_DRIFT}
 * drifted fields per unit). Connected agents pass through it in the gateway, imported evidence in
 * the air-gap importer. A capped name no longer matches a unit of the bundle, so it is dropped
 * there; a capped text ends with "…".
 */
public final class AgentInput {
  /** Unit names, condition types, statuses and reasons, drifted field paths. */
  public static final int MAX_NAME = 253;

  /** Versions, revisions, digests, drift values, agent version. */
  public static final int MAX_VALUE = 256;

  /** Messages, rejection details, owner conflicts. */
  public static final int MAX_TEXT = 1024;

  /** Units in one evidence item (a bundle carries at most the Fleet's units). */
  public static final int MAX_UNITS = 64;

  /** Observed conditions of one unit. */
  public static final int MAX_CONDITIONS = 16;

  /** Drifted fields of one unit. */
  public static final int MAX_DRIFT = 16;

  private AgentInput() {}

  /** {@code m} with every string and list within the caps (the same object when it already is). */
  public static AgentMessage bound(AgentMessage m) {
    return switch (m.getBodyCase()) {
      case HELLO -> {
        Hello h = m.getHello();
        Hello.Builder b =
            h.toBuilder()
                .setAgentVersion(cap(h.getAgentVersion(), MAX_VALUE))
                .setLastAppliedDigest(cap(h.getLastAppliedDigest(), MAX_VALUE))
                .clearCapabilities();
        h.getCapabilitiesList().stream()
            .limit(MAX_CONDITIONS)
            .forEach(c -> b.addCapabilities(cap(c, MAX_NAME)));
        yield m.toBuilder().setHello(b).build();
      }
      case EVIDENCE -> m.toBuilder().setEvidence(bound(m.getEvidence())).build();
      case REJECTION -> m.toBuilder().setRejection(bound(m.getRejection())).build();
      case INVENTORY -> m.toBuilder().setInventory(bound(m.getInventory())).build();
      case HEARTBEAT, BODY_NOT_SET -> m;
    };
  }

  /** Objects of one inventory (the agent sends at most 300; more are cut and marked truncated). */
  public static final int MAX_INVENTORY_OBJECTS = 300;

  static io.kapro.agent.v1.Inventory bound(io.kapro.agent.v1.Inventory inv) {
    io.kapro.agent.v1.Inventory.Builder b =
        inv.toBuilder()
            .setDigest(cap(inv.getDigest(), MAX_VALUE))
            .setTruncated(inv.getTruncated() || inv.getObjectsCount() > MAX_INVENTORY_OBJECTS)
            .clearObjects();
    inv.getObjectsList().stream()
        .limit(MAX_INVENTORY_OBJECTS)
        .forEach(
            o -> {
              io.kapro.agent.v1.InventoryObject.Builder ob =
                  o.toBuilder()
                      .setApiVersion(cap(o.getApiVersion(), MAX_NAME))
                      .setKind(cap(o.getKind(), MAX_NAME))
                      .setObjectNamespace(cap(o.getObjectNamespace(), MAX_NAME))
                      .setName(cap(o.getName(), MAX_NAME))
                      .setSource(cap(o.getSource(), MAX_TEXT))
                      .setOwner(cap(o.getOwner(), MAX_TEXT))
                      .clearFields();
              o.getFieldsList().stream()
                  .limit(MAX_DRIFT)
                  .forEach(
                      f ->
                          ob.addFields(
                              f.toBuilder()
                                  .setPath(cap(f.getPath(), MAX_NAME))
                                  .setValue(cap(f.getValue(), MAX_VALUE))));
              b.addObjects(ob);
            });
    return b.build();
  }

  static Evidence bound(Evidence e) {
    Evidence.Builder b =
        e.toBuilder().setBundleDigest(cap(e.getBundleDigest(), MAX_VALUE)).clearUnits();
    e.getUnitsList().stream().limit(MAX_UNITS).forEach(u -> b.addUnits(bound(u)));
    return b.build();
  }

  static BundleRejection bound(BundleRejection r) {
    return r.toBuilder()
        .setBundleDigest(cap(r.getBundleDigest(), MAX_VALUE))
        .setDetail(cap(r.getDetail(), MAX_TEXT))
        .build();
  }

  static UnitEvidence bound(UnitEvidence u) {
    UnitEvidence.Builder b =
        u.toBuilder()
            .setUnit(cap(u.getUnit(), MAX_NAME))
            .setObservedRevision(cap(u.getObservedRevision(), MAX_VALUE))
            .setObservedDigest(cap(u.getObservedDigest(), MAX_VALUE))
            .setDesiredVersion(cap(u.getDesiredVersion(), MAX_VALUE))
            .setMessage(cap(u.getMessage(), MAX_TEXT))
            .setOwnerConflict(cap(u.getOwnerConflict(), MAX_TEXT))
            .clearConditions()
            .clearDrift();
    u.getConditionsList().stream()
        .limit(MAX_CONDITIONS)
        .forEach(
            c ->
                b.addConditions(
                    ObservedCondition.newBuilder(c)
                        .setType(cap(c.getType(), MAX_NAME))
                        .setStatus(cap(c.getStatus(), MAX_NAME))
                        .setReason(cap(c.getReason(), MAX_NAME))
                        .setMessage(cap(c.getMessage(), MAX_TEXT))));
    u.getDriftList().stream()
        .limit(MAX_DRIFT)
        .forEach(
            d ->
                b.addDrift(
                    FieldDrift.newBuilder()
                        .setPath(cap(d.getPath(), MAX_NAME))
                        .setDesired(cap(d.getDesired(), MAX_VALUE))
                        .setObserved(cap(d.getObserved(), MAX_VALUE))));
    return b.build();
  }

  /** {@code s} cut to {@code max} characters, the last one "…" when it was longer. */
  public static String cap(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return s.substring(0, end) + "…";
  }
}
