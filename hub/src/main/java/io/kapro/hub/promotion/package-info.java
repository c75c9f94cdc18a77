/** Promotions: a new PromotionRun for each spec hash; the newest run supersedes older ones. */
package io.kapro.hub.promotion;
