package io.memtrace.collector.cli;

import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.provenance.TenantRule;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE} of the reading commands: the tenant rule of memtrace's YAML file (memory-state.tenant). */
final class TenantOption {

  @Option(names = "--config", paramLabel = "FILE",
      description = "memtrace's YAML file: model calls' records of another tenant are flagged by its memory-state.tenant "
          + "rule, and memory health is given per tenant by it (default: no rule, nothing flagged as cross-tenant); "
          + "its memory-state.record-pattern says which keys are one record for the TTL truth.")
  Path config;

  TenantRule rule() {
    return config == null ? TenantRule.NONE : MemoryStateConfig.read(config).tenant();
  }

  /** The record pattern of the file (memory-state.record-pattern), else the default. */
  RecordPattern records() {
    return config == null ? RecordPattern.defaults() : MemoryStateConfig.read(config).records();
  }
}
