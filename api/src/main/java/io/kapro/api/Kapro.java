package io.kapro.api;

/**
 * Every label key, annotation key, finalizer, condition type and condition reason Kapro uses, in
 * one place. Controllers put the labels on every object they make so that {@code kubectl get
 * targets -l kapro.io/stage=prod,kapro.io/phase=Failed} works.
 */
public final class Kapro {
  private Kapro() {}

  /** Prefix of Kapro's own label and annotation keys. */
  public static final String PREFIX = "kapro.io/";

  /** Label keys. */
  public static final class Labels {
    /** Fleet name. */
    public static final String FLEET = PREFIX + "fleet";

    /** Promotion name. */
    public static final String PROMOTION = PREFIX + "promotion";

    /** PromotionRun name. */
    public static final String PROMOTION_RUN = PREFIX + "promotionrun";

    /** Stage name. */
    public static final String STAGE = PREFIX + "stage";

    /** Cluster name. */
    public static final String CLUSTER = PREFIX + "cluster";

    /** Current phase (kept in sync with status.phase so label selectors can filter on it). */
    public static final String PHASE = PREFIX + "phase";

    /** Standard label naming the tool that manages an object. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** Value of {@link #MANAGED_BY} on objects Kapro makes. */
    public static final String MANAGED_BY_VALUE = "kapro";

    private Labels() {}
  }

  /** Annotation keys. */
  public static final class Annotations {
    /** Hash of the Promotion spec a run was stamped from. */
    public static final String SPEC_HASH = PREFIX + "spec-hash";

    /** On a spoke object: the bundle sequence whose patch the agent applied. */
    public static final String APPLIED_SEQUENCE = PREFIX + "applied-sequence";

    /** On a spoke object: the bundle digest whose patch the agent applied. */
    public static final String APPLIED_DIGEST = PREFIX + "applied-digest";

    /** On a spoke object: the version Kapro last set. */
    public static final String DESIRED_VERSION = PREFIX + "desired-version";

    /** Flux: request an immediate reconcile by setting this to a new value. */
    public static final String FLUX_RECONCILE_REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

    /** Argo CD: request a refresh ({@code normal} or {@code hard}). */
    public static final String ARGOCD_REFRESH = "argocd.argoproj.io/refresh";

    private Annotations() {}
  }

  /** Finalizers. */
  public static final class Finalizers {
    /** The hub cleans up runs, targets and registry tags before the object goes. */
    public static final String HUB = PREFIX + "hub";

    private Finalizers() {}
  }

  /** Condition types. */
  public static final class ConditionTypes {
    /** The object is valid and its controller has acted on it. */
    public static final String READY = "Ready";

    /** Work is in flight. */
    public static final String PROGRESSING = "Progressing";

    /** The controller cannot make progress without a change from a person. */
    public static final String STALLED = "Stalled";

    /**
     * Cluster: the agent is connected (True), missed heartbeats (Unknown) or was cut off (False).
     */
    public static final String CONNECTED = "Connected";

    /**
     * Cluster: whether the bundles this cluster's agent is served verify (False: a registry or
     * mirror stripped a signature or altered content; a transport alarm, retried, never a Target
     * failure).
     */
    public static final String BUNDLE_TRANSPORT = "BundleTransport";

    /**
     * Target, Cluster: a unit the agent had judged Converged (or any unit) is now Degraded or
     * Failed by its local controller's own verdict (True, reason = the upstream reason), or healthy
     * (False).
     */
    public static final String DEGRADED = "Degraded";

    /**
     * Target, Cluster: a managed field no longer holds the bundle's value (True, reason {@code
     * FieldDrifted} or {@code OwnerConflict}), or every field holds it (False, reason {@code
     * InSync}, or {@code Reapplied} when the agent put fields back).
     */
    public static final String DRIFTED = "Drifted";

    /**
     * Target: its bundle was published (True), or publishing is blocked (False, with the reason and
     * what to fix: a missing signing Secret, an unreachable registry, a paused Cluster).
     */
    public static final String PUBLISHED = "Published";

    private ConditionTypes() {}
  }

  /** Condition reasons (CamelCase). */
  public static final class Reasons {
    /** Drifted=True: a managed field no longer holds the bundle's value. */
    public static final String FIELD_DRIFTED = "FieldDrifted";

    /** Drifted=True: another owner keeps reverting a managed field; the message names it. */
    public static final String OWNER_CONFLICT = "OwnerConflict";

    /** Drifted=False: the agent put drifted fields back (drift policy reapply). */
    public static final String REAPPLIED = "Reapplied";

    /** Drifted=False: every managed field holds the bundle's value. */
    public static final String IN_SYNC = "InSync";

    /** Degraded=False: every unit is healthy by its controller's verdict. */
    public static final String HEALTHY = "Healthy";

    /** The spec is invalid; the message names the field and the fix. Not retried. */
    public static final String INVALID_SPEC = "InvalidSpec";

    /** Reconciled without error. */
    public static final String RECONCILED = "Reconciled";

    /** A bundle could not be pushed to the registry or layout (retried). */
    public static final String REGISTRY_UNAVAILABLE = "RegistryUnavailable";

    /** The Cluster is paused: no new bundles are issued for it. */
    public static final String CLUSTER_PAUSED = "ClusterPaused";

    /** A referenced Fleet does not exist. */
    public static final String FLEET_NOT_FOUND = "FleetNotFound";

    /** A referenced Plan does not exist. */
    public static final String PLAN_NOT_FOUND = "PlanNotFound";

    /** A gate waits for an Approval. */
    public static final String WAITING_FOR_APPROVAL = "WaitingForApproval";

    /** An Approval approved. */
    public static final String APPROVED = "Approved";

    /** An Approval rejected. */
    public static final String REJECTED = "Rejected";

    /** A gate failed. */
    public static final String GATE_FAILED = "GateFailed";

    /** A newer run superseded this one. */
    public static final String SUPERSEDED = "Superseded";

    /** The bundle was published. */
    public static final String BUNDLE_PUBLISHED = "BundlePublished";

    /** The agent rejected the bundle. */
    public static final String BUNDLE_REJECTED = "BundleRejected";

    /** The target converged. */
    public static final String CONVERGED = "Converged";

    /** The target is degraded. */
    public static final String DEGRADED = "Degraded";

    /** The target did not converge in time. */
    public static final String TIMED_OUT = "TimedOut";

    /** The run halted after a failure. */
    public static final String HALTED = "Halted";

    /** The run rolled back. */
    public static final String ROLLED_BACK = "RolledBack";

    /** The agent is connected. */
    public static final String AGENT_CONNECTED = "AgentConnected";

    /** No heartbeat within the window. */
    public static final String HEARTBEAT_MISSED = "HeartbeatMissed";

    /** The agent has never connected. */
    public static final String NEVER_CONNECTED = "NeverConnected";

    /** Connected=False on a Cluster with spec.connectivity AirGapped: no link is expected. */
    public static final String AIR_GAPPED = "AirGapped";

    /** Ready=False on a run a person aborted. */
    public static final String ABORTED = "Aborted";

    /** Ready=True on a run a person paused. */
    public static final String PAUSED = "Paused";

    /** The agent's certificate was revoked. */
    public static final String CERTIFICATE_REVOKED = "CertificateRevoked";

    /** BundleTransport=False: the served bundle failed an integrity check at the agent. */
    public static final String INTEGRITY_REJECTED = "IntegrityRejected";

    /** Warning Event on a Cluster: its agent's evidence named units the hub did not send. */
    public static final String EVIDENCE_UNITS_DROPPED = "EvidenceUnitsDropped";

    /** BundleTransport=True: a bundle served since verified and was applied. */
    public static final String BUNDLE_VERIFIED = "BundleVerified";

    private Reasons() {}
  }
}
