package io.memtrace.agent.semconv;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Every attribute name memtrace writes on spans, span events and metrics, declared once. The
 * {@code memory.*} names are memtrace's own; the {@code db.*}, {@code server.*}, {@code error.*} and
 * {@code exception.*} names are the OpenTelemetry semantic conventions' (database client spans,
 * Redis). Configuration, instrumentation, span factories and metrics all read them from here, so a
 * rename is one line and the names on spans and in metrics cannot drift apart.
 */
public final class AttributeNames {

  // memory-manager spans (memtrace's own names), also memory.key / namespace / value_size / ttl / found on Redis spans
  public static final AttributeKey<String> MEMORY_OPERATION = AttributeKey.stringKey("memory.operation");
  public static final AttributeKey<String> MEMORY_NAMESPACE = AttributeKey.stringKey("memory.namespace");
  public static final AttributeKey<String> MEMORY_KEY = AttributeKey.stringKey("memory.key");
  public static final AttributeKey<Long> MEMORY_VALUE_SIZE = AttributeKey.longKey("memory.value_size");
  /** A keyed hash of the value written or read, 16 hex digits (see ValueFingerprint); never the value. */
  public static final AttributeKey<String> MEMORY_VALUE_FINGERPRINT = AttributeKey.stringKey("memory.value.fingerprint");
  /** A captured write: the {@code memory.value} span event and its attributes (issue 51's wire). */
  public static final String MEMORY_VALUE_EVENT = "memory.value";
  public static final AttributeKey<String> MEMORY_VALUE = AttributeKey.stringKey("memory.value");
  public static final AttributeKey<String> MEMORY_VALUE_CHANGE = AttributeKey.stringKey("memory.value.change");
  public static final AttributeKey<String> MEMORY_VALUE_TYPE = AttributeKey.stringKey("memory.value.type");
  public static final AttributeKey<String> MEMORY_VALUE_ENCODING = AttributeKey.stringKey("memory.value.encoding");
  /** The payload's bytes before any cut (the span attribute {@link #MEMORY_VALUE_SIZE} is the value's size). */
  public static final AttributeKey<Long> MEMORY_VALUE_PAYLOAD_SIZE = AttributeKey.longKey("memory.value.size");
  public static final AttributeKey<Boolean> MEMORY_VALUE_TRUNCATED = AttributeKey.booleanKey("memory.value.truncated");
  public static final AttributeKey<Long> MEMORY_TTL = AttributeKey.longKey("memory.ttl");
  public static final AttributeKey<Boolean> MEMORY_FOUND = AttributeKey.booleanKey("memory.found");
  public static final AttributeKey<Long> MEMORY_RESULT_COUNT = AttributeKey.longKey("memory.result_count");
  public static final AttributeKey<Long> MEMORY_ITEM_COUNT = AttributeKey.longKey("memory.item_count");
  public static final AttributeKey<Double> MEMORY_OPERATION_DURATION_MS =
      AttributeKey.doubleKey("memory.operation_duration_ms");
  /** On the {@code memory.{op}.completed} event. */
  public static final AttributeKey<Boolean> MEMORY_SUCCESS = AttributeKey.booleanKey("memory.success");
  public static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("agent.id");
  public static final AttributeKey<String> AGENT_TYPE = AttributeKey.stringKey("agent.type");
  /** Vector and embedding searches: how many results were asked for, and the score below which none count. */
  public static final AttributeKey<Long> MEMORY_SEARCH_TOP_K = AttributeKey.longKey("memory.search.top_k");
  public static final AttributeKey<Double> MEMORY_SEARCH_SIMILARITY_THRESHOLD =
      AttributeKey.doubleKey("memory.search.similarity_threshold");

  // OpenTelemetry GenAI memory conventions (Development): span gen_ai.memory.client
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> GEN_AI_MEMORY_STORE_ID = AttributeKey.stringKey("gen_ai.memory.store.id");
  public static final AttributeKey<String> GEN_AI_MEMORY_RECORD_ID = AttributeKey.stringKey("gen_ai.memory.record.id");
  public static final AttributeKey<Long> GEN_AI_MEMORY_RECORD_COUNT = AttributeKey.longKey("gen_ai.memory.record.count");
  /** Opt-in: only with {@code capture.values: true}. */
  // model-call spans (OpenTelemetry GenAI client spans)
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<String> GEN_AI_CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
  // provenance: a model span's links to the memory reads in its prompt, and its totals (collector contract)
  public static final AttributeKey<String> CONTEXT_SOURCE = AttributeKey.stringKey("memtrace.context.source");
  public static final AttributeKey<Long> CONTEXT_RECORDS = AttributeKey.longKey("memtrace.context.records");
  public static final AttributeKey<Long> CONTEXT_MESSAGES = AttributeKey.longKey("memtrace.context.messages");
  public static final AttributeKey<Long> CONTEXT_BYTES = AttributeKey.longKey("memtrace.context.bytes");
  public static final AttributeKey<Double> CONTEXT_PROMPT_SHARE = AttributeKey.doubleKey("memtrace.context.prompt_share");
  /**
   * Rule-internal names, never exported: a model rule's prompt messages, a hand-off's documents and
   * prompt messages. {@code memtrace.context.source} is also a rule constant (chat_memory, retrieval).
   */
  public static final String RULE_PROMPT_MESSAGES = "memtrace.rule.messages";
  public static final String RULE_DOCUMENTS = "memtrace.rule.documents";
  public static final String RULE_MEMORY_ID = "memtrace.rule.memory_id";
  public static final AttributeKey<String> GEN_AI_MEMORY_QUERY_TEXT = AttributeKey.stringKey("gen_ai.memory.query.text");

  // metric dimensions of the memory metrics: low cardinality only
  public static final AttributeKey<String> MEMORY_SYSTEM = AttributeKey.stringKey("memory.system");
  public static final AttributeKey<String> MEMORY_OUTCOME = AttributeKey.stringKey("memory.outcome");

  // OpenTelemetry database client conventions, for Redis commands
  public static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  public static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  public static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  public static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  public static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  public static final AttributeKey<String> DB_RESPONSE_STATUS_CODE =
      AttributeKey.stringKey("db.response.status_code");
  public static final AttributeKey<String> DB_STORED_PROCEDURE_NAME =
      AttributeKey.stringKey("db.stored_procedure.name");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  /**
   * memtrace's own, on a Redis span whose connection said {@code READONLY} (and no {@code READWRITE} since): a
   * cluster connection that reads from a replica. Absent otherwise.
   */
  public static final AttributeKey<Boolean> MEMTRACE_REDIS_REPLICA = AttributeKey.booleanKey("memtrace.redis.replica");

  // errors and the standard exception event
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  public static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

  // retention (memtrace's own): what a kept span or the interval's summary span says of the
  // Redis spans compressed into it; also on each of its memtrace.compressed events
  public static final AttributeKey<Long> MEMTRACE_COMPRESSED_COUNT = AttributeKey.longKey("memtrace.compressed.count");
  public static final AttributeKey<Double> MEMTRACE_COMPRESSED_DURATION_MS =
      AttributeKey.doubleKey("memtrace.compressed.duration_ms");
  /** On a {@code memtrace.compressed} event: how many of its count went out as key events too (ADR 0004). */
  public static final AttributeKey<Long> MEMTRACE_COMPRESSED_KEY_EVENTS =
      AttributeKey.longKey("memtrace.compressed.key_events");
  public static final AttributeKey<Long> MEMTRACE_SUMMARY_INTERVAL_MS = AttributeKey.longKey("memtrace.summary.interval_ms");
  /** The name of the summary span and of the event per (command, namespace) on a span with compressed children. */
  public static final String MEMTRACE_COMPRESSED = "memtrace.compressed";
  /** The span that carries the key events of compressed commands, one {@code memtrace.key_events} span per batch. */
  public static final String MEMTRACE_KEY_EVENTS = "memtrace.key_events";
  /** The event a pipeline's or transaction's span carries for each command that names a key and is not a read. */
  public static final String MEMTRACE_BATCH_COMMAND = "memtrace.batch.command";
  /** On {@code memtrace.redis.clients.untraced}: the client and its version, {@code "Lettuce 8.0.0"}. */
  public static final AttributeKey<String> MEMTRACE_CLIENT = AttributeKey.stringKey("memtrace.client");
  /** Stands for the namespaces (and past that, the commands) beyond a count's bound. */
  public static final String OTHER = "_OTHER";

  private AttributeNames() {
  }
}
