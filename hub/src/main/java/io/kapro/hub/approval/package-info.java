/** Approvals: checks what an Approval names and reports it; the run's engine reads the decision. */
package io.kapro.hub.approval;
