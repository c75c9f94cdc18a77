package io.kapro.hub.gate;

/** What an Approval says. */
public enum ApprovalDecision {
  Approve,
  Reject
}
