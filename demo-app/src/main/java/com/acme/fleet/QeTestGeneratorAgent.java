package com.acme.fleet;

import com.acme.memory.MemoryManager;
import com.acme.memory.StoreOptions;
import java.util.List;
import java.util.Map;

/** Writes the test plan for a service into the fleet's memory. */
public final class QeTestGeneratorAgent extends FleetAgent {

  public QeTestGeneratorAgent(MemoryManager memory) {
    super("qe-test-generator", "test-generator", memory);
  }

  public TestPlan generate(String service) {
    TestPlan plan = new TestPlan(service, List.of(
        new TestCase(service + ".create", "high"),
        new TestCase(service + ".update", "medium"),
        new TestCase(service + ".delete", "high")),
        Map.of("lines", 85, "branches", 78, "functions", 90),
        System.currentTimeMillis());
    memory.store("test-plan-user-service", plan, new StoreOptions("aqe/test-plans", id, 3600));
    return plan;
  }
}
