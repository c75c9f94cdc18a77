package io.kapro.api.v1alpha2;

/** The GitOps controller that owns a unit on the workload cluster. */
public enum Backend {
  Flux,
  ArgoCD
}
