package com.acme.fleet;

/** Runs one test; here a short, deterministic piece of work standing in for the real thing. */
public final class TestRunner {

  /** Returns true when the test passed. */
  public boolean execute(TestCase test) {
    long spin = 2_000_000L + (test.name().hashCode() & 0xff) * 10_000L;
    long until = System.nanoTime() + spin;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    return true;
  }
}
