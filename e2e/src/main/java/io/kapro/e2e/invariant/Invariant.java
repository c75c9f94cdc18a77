package io.kapro.e2e.invariant;

/** The invariants every fault scenario must keep (docs/reliability.md, issue 12). */
public enum Invariant {
  I1("every Target ends in the right terminal phase"),
  I2("no cluster ever applies a lower sequence than one it applied before"),
  I3("every evidence item an agent produced reached the hub"),
  I4("no bundle is applied without a valid signature from the fleet's key"),
  I5("never two Targets for one cluster × stage");

  private final String text;

  Invariant(String text) {
    this.text = text;
  }

  /** The invariant in words. */
  public String text() {
    return text;
  }
}
