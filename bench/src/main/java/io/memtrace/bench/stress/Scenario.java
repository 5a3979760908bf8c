package io.memtrace.bench.stress;

import java.util.List;

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

  /**
   * Runs to the end (bounded by its configured durations) on a rig of its own, stopped when it ends, and returns what
   * it found.
   */
  final ScenarioResult run(ScenarioContext context) throws Exception {
    ScenarioResult result = new ScenarioResult(name, description);
    try (Rig rig = context.rig(redisSettings(context))) {
      play(context, rig, result);
    }
    return result;
  }

  /** The rig's Redis settings ({@code maxmemory ...}): none unless the scenario needs some. */
  List<String> redisSettings(ScenarioContext c) {
    return List.of();
  }

  /** Drives the scenario on {@code rig} and records in {@code r} its metrics and the checks it must hold. */
  abstract void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception;
}
