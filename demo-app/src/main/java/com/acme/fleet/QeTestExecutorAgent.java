package com.acme.fleet;

import com.acme.memory.MemoryManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the plan back and runs its tests. */
public final class QeTestExecutorAgent extends FleetAgent {

  private final TestRunner runner = new TestRunner();
  private final ObjectMapper json = new ObjectMapper();

  public QeTestExecutorAgent(MemoryManager memory) {
    super("qe-test-executor", "test-executor", memory);
  }

  /** Returns how many tests passed. */
  public int execute() throws Exception {
    String plan = memory.retrieve("test-plan-user-service", "aqe/test-plans");
    if (plan == null) {
      throw new IllegalStateException("no test plan to execute");
    }
    int passed = 0;
    for (JsonNode test : json.readTree(plan).get("tests")) {
      if (runner.execute(new TestCase(test.get("name").asText(), test.get("priority").asText()))) {
        passed++;
      }
    }
    return passed;
  }

  /** Looks for a plan that was never written; returns whether it exists. */
  public boolean recheck() {
    return memory.retrieve("test-plan-invalid", "aqe/test-plans") != null;
  }
}
