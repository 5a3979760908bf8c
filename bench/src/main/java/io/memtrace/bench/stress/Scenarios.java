package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.List;

/** Every scenario of the suite, in the order a full run takes them. */
final class Scenarios {

  static final List<Scenario> ALL = List.of(new BaselineScenario(), new MemoryLeakScenario(), new HighMemoryScenario(),
      new RapidGrowthScenario(), new VectorStoreScenario(), new ConcurrentAgentsScenario(),
      new OptimizationOverloadScenario(), new MemoryPressureScenario(), new RecoveryScenario(), new EnduranceScenario(),
      new CollectorDownScenario(), new SlowCollectorScenario(), new ErrorCollectorScenario());

  private Scenarios() {
  }

  static Scenario named(String name) {
    for (Scenario s : ALL) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    List<String> names = new ArrayList<>();
    ALL.forEach(s -> names.add(s.name()));
    throw new IllegalArgumentException("no scenario '" + name + "' (known: " + String.join(", ", names) + ")");
  }
}
