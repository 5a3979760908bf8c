package io.memtrace.collector.cli;

import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.provenance.TenantRule;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE} of the reading commands: the tenant rule of memtrace's YAML file (memory-state.tenant). */
final class TenantOption {

  @Option(names = "--config", paramLabel = "FILE",
      description = "memtrace's YAML file: model calls' records of another tenant are flagged by its memory-state.tenant "
          + "rule (default: no rule, nothing flagged as cross-tenant).")
  Path config;

  TenantRule rule() {
    return config == null ? TenantRule.NONE : MemoryStateConfig.read(config).tenant();
  }
}
