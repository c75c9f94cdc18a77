package io.kapro.hub.engine;

/**
 * What people asked of the run: {@code paused} and {@code abort} come from the Promotion's spec
 * (they may change while the run goes on), {@code rollback} and {@code skipGates} from the run's
 * own immutable spec.
 *
 * @param paused no Target becomes eligible to publish and no wave opens; in-flight ones finish
 * @param abort unstarted Targets are Cancelled and the run ends Aborted
 * @param rollback the run rolls the fleet back (its bundles are marked as rollbacks)
 * @param skipGates the run ignores the Plan's gates (an explicit override)
 */
public record RunControl(boolean paused, boolean abort, boolean rollback, boolean skipGates) {
  public static final RunControl NONE = new RunControl(false, false, false, false);
}
