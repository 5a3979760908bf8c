package io.memtrace.bench.stress;

/** One named stress scenario: what it drives and what it must hold, within the bounds of bench/stress.yaml. */
public interface Scenario {

  String name();

  /** One line for {@code --list-scenarios} and the report. */
  String description();

  /** Runs to the end (bounded by its configured durations) and returns what it found. */
  ScenarioResult run(ScenarioContext context) throws Exception;
}
