package com.acme.fleet;

import com.acme.memory.MemoryManager;

/** Cleans up after the run. */
public final class QeFleetCommanderAgent extends FleetAgent {

  public QeFleetCommanderAgent(MemoryManager memory) {
    super("qe-fleet-commander", "fleet-commander", memory);
  }

  public boolean cleanup() {
    return memory.delete("test-plan-user-service", "aqe/test-plans");
  }

  /** Reads the run history, which another tool keeps as a Redis list: the read fails. */
  public String audit() {
    try {
      return memory.retrieve("run-history", "aqe/test-plans");
    } catch (RuntimeException e) {
      return "audit failed: " + e.getMessage();
    }
  }
}
