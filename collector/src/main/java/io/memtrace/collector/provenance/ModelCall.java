package io.memtrace.collector.provenance;

import java.util.List;
import java.util.Objects;

/**
 * A model call (a span whose {@code gen_ai.operation.name} is an inference: {@code chat}, {@code text_completion},
 * {@code generate_content}) with the memory that went into its prompt: each memory span it links to, and under each,
 * the records with their writers, stale marks and tenants. A call from an instrumentation that adds no links has
 * {@code linked} false and no sources: its memory is not known, and nothing is guessed by time.
 *
 * @param contextRecords {@code memtrace.context.records}; {@code promptShare} {@code memtrace.context.prompt_share}
 *     (0 to 1): what the agent counted from what the framework passed; null when the span does not carry them
 */
public record ModelCall(String traceId, String spanId, String name, String service, long startMicros, String model,
    String conversationId, Long inputTokens, Long contextRecords, Double promptShare, boolean linked,
    List<ContextSource> sources) {

  public ModelCall {
    sources = List.copyOf(sources);
  }

  public List<ContextRecord> records() {
    return sources.stream().flatMap(s -> s.records().stream()).toList();
  }

  public long staleRecords() {
    return records().stream().filter(ContextRecord::stale).count();
  }

  public long crossTenantReads() {
    return records().stream().filter(ContextRecord::crossTenant).count();
  }

  /** The oldest value the prompt used, in ms; null when no writer of its records was seen. */
  public Double oldestMillis() {
    return records().stream().map(ContextRecord::ageMillis).filter(Objects::nonNull).max(Double::compare).orElse(null);
  }
}
