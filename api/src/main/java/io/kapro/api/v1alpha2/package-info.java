/**
 * The {@code kapro.io/v1alpha2} kinds: Fleet, Cluster, Plan, Promotion, PromotionRun, Target,
 * Approval, with their spec and status beans. Shapes: docs/design/object-model.md.
 */
package io.kapro.api.v1alpha2;
