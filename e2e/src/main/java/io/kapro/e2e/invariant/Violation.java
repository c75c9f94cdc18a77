package io.kapro.e2e.invariant;

/**
 * One broken invariant.
 *
 * @param invariant which
 * @param cluster the cluster it concerns
 * @param item the item: a Target, a bundle (sequence and digest) or evidence numbers
 * @param detail what was found
 */
public record Violation(Invariant invariant, String cluster, String item, String detail) {
  @Override
  public String toString() {
    return invariant
        + " ("
        + invariant.text()
        + "): cluster "
        + cluster
        + ", "
        + item
        + ": "
        + detail;
  }
}
