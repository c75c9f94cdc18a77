package io.kapro.agent.apply;

import io.kapro.agent.v1.RejectionReason;
import io.kapro.oci.bundle.ObjectReference;
import java.util.Optional;

/** A bundle could not be applied; nothing of it was (or, after a failed write, stayed) applied. */
public final class ApplyException extends RuntimeException {
  /** Why the bundle was refused. */
  public enum Reason {
    /** A unit targets a local object that does not exist. */
    OBJECT_NOT_FOUND(RejectionReason.REJECTION_REASON_OBJECT_NOT_FOUND),
    /** A unit targets an object, kind or field outside the allow-list. */
    NOT_ALLOWED(RejectionReason.REJECTION_REASON_NOT_ALLOWED),
    /** A field path does not fit the object (index out of range, a scalar where a map is). */
    PATH_UNRESOLVABLE(RejectionReason.REJECTION_REASON_APPLY_FAILED),
    /** A value is not acceptable (too long, control characters). */
    INVALID_VALUE(RejectionReason.REJECTION_REASON_MALFORMED),
    /** The local API refused a read or a patch. */
    APPLY_FAILED(RejectionReason.REJECTION_REASON_APPLY_FAILED);

    private final RejectionReason rejection;

    Reason(RejectionReason rejection) {
      this.rejection = rejection;
    }

    /** The wire reason to report to the hub. */
    public RejectionReason rejectionReason() {
      return rejection;
    }
  }

  private final Reason reason;
  private final transient ObjectReference object;
  private final String path;

  public ApplyException(
      Reason reason, ObjectReference object, String path, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.object = object;
    this.path = path;
  }

  public ApplyException(Reason reason, ObjectReference object, String path, String message) {
    this(reason, object, path, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The object concerned, if one is. */
  public Optional<ObjectReference> object() {
    return Optional.ofNullable(object);
  }

  /** The field path concerned, if one is. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }
}
