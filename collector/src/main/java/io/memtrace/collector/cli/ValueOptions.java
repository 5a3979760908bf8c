package io.memtrace.collector.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code serve} for the captured values (table key_value): how long and how much, and forwarding. */
final class ValueOptions {

  @Option(names = "--value-retention", paramLabel = "DURATION", defaultValue = "7d",
      description = {"Captured values (the agent's capture.values, kept apart from the spans in key_value) older than",
          "this are deleted (default: ${DEFAULT-VALUE})."})
  String retention;

  @Option(names = "--value-check-interval", paramLabel = "DURATION", defaultValue = "30s",
      description = "How often --value-retention and --value-budget are applied (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--value-budget", paramLabel = "SIZE", defaultValue = "256MiB",
      description = {"Most bytes of captured values kept (payloads and keys); past it the oldest values are deleted,",
          "and /api/status counts them (values.pruned_budget) (default: ${DEFAULT-VALUE})."})
  String budget;

  @Option(names = "--forward-values",
      description = {"With --forward, send the captured values upstream too; without it the memory.value span events",
          "are taken out of what is forwarded."})
  boolean forwardValues;

  Duration retention() {
    return Units.positiveDuration("--value-retention", retention);
  }

  Duration interval() {
    return Units.positiveDuration("--value-check-interval", interval);
  }

  long budgetBytes() {
    return Units.bytes("--value-budget", budget);
  }
}
