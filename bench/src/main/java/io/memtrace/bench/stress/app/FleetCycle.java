package io.memtrace.bench.stress.app;

import com.acme.fleet.QeCoverageAnalyzerAgent;
import com.acme.fleet.QeTestExecutorAgent;
import com.acme.fleet.QeTestGeneratorAgent;
import com.acme.fleet.Workflow;

/**
 * The fleet workload on one thread: the "fleet" workflow (generate the plan, execute it, analyze
 * coverage), timed as one operation, then this thread's session message and cache put and get. The
 * commander's cleanup is never run: every thread shares the one plan key it would delete.
 */
final class FleetCycle implements Cycle {

  private static final int TESTS_IN_PLAN = 3;

  private final OpClock clock;
  private final StressCounters counters;
  private final LayerSteps layers;
  private final Workflow workflow = new Workflow();
  private final QeTestGeneratorAgent generator;
  private final QeTestExecutorAgent executor;
  private final QeCoverageAnalyzerAgent analyzer;
  /** Made once: a method reference per round would be an allocation per round. */
  private final Workflow.Steps steps = this::steps;
  private int passed;
  private int plans;

  FleetCycle(DemoMemory demo, int thread, OpClock clock, StressCounters counters) {
    this.clock = clock;
    this.counters = counters;
    this.layers = new LayerSteps(demo, clock, counters, "fleet-t" + thread);
    this.generator = new QeTestGeneratorAgent(demo.memory);
    this.executor = new QeTestExecutorAgent(demo.memory);
    this.analyzer = new QeCoverageAnalyzerAgent(demo.memory);
  }

  @Override
  public void run(long i) throws Exception {
    passed = 0;
    plans = 0;
    long start = clock.start();
    workflow.run("fleet", steps);
    clock.stop(start);
    counters.verify(passed == TESTS_IN_PLAN && plans >= 1);
    layers.session("run " + i);
    layers.cache(i, "passed " + passed);
  }

  private void steps() throws Exception {
    generator.generate("UserService");
    passed = executor.execute();
    plans = analyzer.analyze();
  }
}
