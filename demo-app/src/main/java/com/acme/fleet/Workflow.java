package com.acme.fleet;

/** A named piece of fleet work; everything it runs belongs to it. */
public final class Workflow {

  /** Runs {@code steps} as the workflow called {@code name}. */
  public void run(String name, Steps steps) throws Exception {
    steps.run();
  }

  /** The body of a workflow. */
  @FunctionalInterface
  public interface Steps {
    void run() throws Exception;
  }
}
