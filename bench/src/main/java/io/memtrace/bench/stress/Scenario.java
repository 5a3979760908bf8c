package io.memtrace.bench.stress;

/** One named stress scenario: what it drives and what it must hold, within the bounds of bench/stress.yaml. */
public abstract class Scenario {

  private final String name;
  private final String description;

  /** @param description one line for {@code --list-scenarios} and the report */
  Scenario(String name, String description) {
    this.name = name;
    this.description = description;
  }

  public final String name() {
    return name;
  }

  /** One line for {@code --list-scenarios} and the report. */
  public final String description() {
    return description;
  }

  /** Runs to the end (bounded by its configured durations) and returns what it found. */
  final ScenarioResult run(ScenarioContext context) throws Exception {
    ScenarioResult result = new ScenarioResult(name, description);
    play(context, result);
    return result;
  }

  /** Drives the scenario and records in {@code r} its metrics and the checks it must hold. */
  abstract void play(ScenarioContext c, ScenarioResult r) throws Exception;
}
