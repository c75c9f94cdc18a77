/**
 * The pull side of the agent: {@link io.kapro.agent.bundle.PullLoop} resolves the {@code desired}
 * tag without downloading, verifies a new bundle ({@code BundleVerifier} with the trusted keys, the
 * cluster identity, the {@link io.kapro.agent.bundle.AllowListPolicy} and the persisted {@link
 * io.kapro.agent.bundle.HighWaterMark}), applies it all or nothing, persists the mark in the state
 * directory and a Secret ({@link io.kapro.agent.bundle.MirroredHighWaterMarkStore}: the higher copy
 * wins), and reports Applied, then every phase change, through the durable outbox. {@link
 * io.kapro.agent.bundle.PullState} is the hub link's state source for hello and resync.
 */
package io.kapro.agent.bundle;
