/**
 * {@code kapro pause|resume|abort|rollback}: people in control of a run. Each sets a field of the
 * run's Promotion (the run's own spec is immutable) and the hub's engine acts on it.
 */
package io.kapro.cli.control;
