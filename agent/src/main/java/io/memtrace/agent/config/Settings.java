package io.memtrace.agent.config;

import static io.memtrace.agent.config.NumberTypes.integer;
import static io.memtrace.agent.config.NumberTypes.millis;
import static io.memtrace.agent.config.NumberTypes.powerOfTwo;
import static io.memtrace.agent.config.ValueTypes.bool;
import static io.memtrace.agent.config.ValueTypes.choice;
import static io.memtrace.agent.config.ValueTypes.list;
import static io.memtrace.agent.config.ValueTypes.regexWithGroup;
import static io.memtrace.agent.config.ValueTypes.secretHex;
import static io.memtrace.agent.config.ValueTypes.text;

import io.memtrace.common.MemoryStateSection;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every setting memtrace reads, declared once. memtrace's own settings are here; the standard
 * OpenTelemetry ones are in {@link OtelSettings}. To add a setting, declare it here (or there)
 * and read it with {@link MemtraceConfig#get}: the loader, the environment and system-property
 * names, the validation and the configuration reference follow from the declaration.
 */
public final class Settings {

  private Settings() {
  }

  /** The default of {@link #REDIS_NAMESPACE_FROM_KEY}, declared with the rule itself in {@link NamespaceRule}. */
  public static final String DEFAULT_NAMESPACE_RULE = NamespaceRule.DEFAULT;

  public static final Setting<String> SPAN_PREFIX = Setting.file("span-prefix",
      text(Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*"), "letters, digits, '_', '-' or '.'"), "memory",
      "Spans are named `{prefix}.memory.{operation}`, or `memory.{operation}` with the default.");

  public static final Setting<Boolean> CAPTURE_KEYS = Setting.file("capture.keys", bool(), "true",
      "`memory.key` on spans and keys in `db.query.text`.");

  public static final Setting<ValueScope> CAPTURE_VALUES = Setting.file("capture.values", ValueScope.type(), "false",
      "Which values leave the process: `false` none; `true` all; or globs, each matching a key or its namespace "
          + "(`[\"session:*\", \"chat\"]`), for those keys only. A captured write is a `memory.value` span event "
          + "on its Redis or memory span (see [Captured values](../spans-and-metrics.md#captured-values)), and "
          + "`db.query.text` still shows `?` for each value; a memory search's `gen_ai.memory.query.text` is shown; "
          + "`AUTH` stays masked and keys matching `capture.redact-keys` never get a value. Sizes are always "
          + "recorded.");

  public static final Setting<Integer> CAPTURE_VALUE_MAX_BYTES = Setting.file("capture.value-max-bytes",
      integer(16, 1 << 24), "65536",
      "A captured value's payload is cut at this many bytes (at a UTF-8 boundary) and marked "
          + "`memory.value.truncated`; `memory.value.size` keeps its full size.");

  // on by default: a keyed hash under a key drawn per JVM says nothing outside the process that drew it, and the
  // collector's health (unchanged rewrites, duplicate values) needs it; off where values must not even be hashed
  public static final Setting<Boolean> CAPTURE_FINGERPRINTS = Setting.file("capture.fingerprints", bool(), "true",
      "`memory.value.fingerprint` on memory and Redis spans that write or read a value: a keyed 64-bit hash "
          + "(SipHash-2-4) of the value's bytes, never the value; `false` when values must not even be "
          + "fingerprinted. See [Value fingerprints](../spans-and-metrics.md#value-fingerprints).");

  public static final Setting<String> CAPTURE_FINGERPRINT_KEY = Setting.file("capture.fingerprint-key",
      secretHex(16), null,
      "The fingerprints' key, shared by the services whose duplicate values should be found; without it a "
          + "random key is drawn per JVM, so fingerprints match only within one process. Give it as the "
          + "environment variable rather than in the file; it is never logged.");

  public static final Setting<String> CAPTURE_VALUE_SIZE = Setting.file("capture.value-size",
      choice("auto", "json"), "auto",
      "`json` measures values without a known size by writing them as JSON on the application "
          + "thread (costly; see [Memory managers and tasks](../memory-managers.md)).");

  public static final Setting<List<String>> CAPTURE_REDACT_KEYS = Setting.file("capture.redact-keys",
      list("globs (`*`, `?`); a comma list outside the file"), "",
      "Keys matching a glob are shown as `redacted:<sha-256 prefix>`.");

  public static final Setting<String> CONVENTIONS = Setting.file("conventions",
      choice("seed", "genai", "both"), "both",
      "Names on memory spans: `seed` (memory.*, kind INTERNAL), `genai` (the OpenTelemetry GenAI memory "
          + "conventions, kind CLIENT) or `both`; see [Naming conventions]"
          + "(../spans-and-metrics.md#naming-conventions-memtraces-own-and-the-opentelemetry-genai-memory-spans).")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Boolean> PROFILE_SPRING_AI = Setting.file("profiles.spring-ai", bool(), "true",
      "Built-in rules for Spring AI's chat memory and vector stores, where Spring AI is present.")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Boolean> PROFILE_LANGCHAIN4J = Setting.file("profiles.langchain4j", bool(), "true",
      "Built-in rules for LangChain4j's chat memory and embedding stores, where LangChain4j is present.")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Boolean> REDIS_ENABLED = Setting.file("redis.enabled", bool(), "true",
      "Trace Jedis, Lettuce and Redisson commands.");

  public static final Setting<Pattern> REDIS_NAMESPACE_FROM_KEY = Setting.file(NamespaceRule.KEY,
      regexWithGroup(), DEFAULT_NAMESPACE_RULE,
      "Group 1 of the first match on a key is its `memory.namespace`.");

  public static final Setting<Boolean> REDIS_HANDSHAKE_SPANS = Setting.file("redis.handshake-spans", bool(),
      "false", "Spans for what a Jedis, Lettuce or Redisson connection sends to set itself up (`HELLO`, "
          + "`AUTH`, `CLIENT SETINFO`, `SELECT` of a pool's config or of a Lettuce `RedisURI`) and, for "
          + "Redisson, its own connection work (keep-alive `PING`, `READONLY`, topology reads), never "
          + "with ERROR status. Off: not recorded, and not counted as dropped.");

  // 8192 slots: a quarter second of events at 30k commands/s, 8 ms at the consumer's full speed
  // (about 1M spans/s); a bigger default ring is megabytes of slots that G1 copies through the
  // first young collections, and the overhead run showed that pushing G1 into growing the heap.
  // The cap, about 150 MB of slots, keeps a typo from allocating gigabytes in the application.
  public static final Setting<Integer> RING_SIZE = Setting.file("ring.size", powerOfTwo(64, 1 << 20),
      "8192", "Events that can wait for the consumer thread (about 150 bytes a slot); a full ring drops new "
          + "events and counts them in `memtrace.events.dropped`. 32768 when retention is off and this is not given.");

  // one thread and one kept-alive connection per export in flight: more lets a slow endpoint (one
  // that syncs every request to disk) take more spans a second, each costs the endpoint a connection
  public static final Setting<Integer> EXPORT_MAX_IN_FLIGHT = Setting.file("export.max-in-flight",
      integer(1, 16), "4", "Span exports that may be in flight at once, each on its own connection "
          + "and sender thread; see [Exports in flight](../configuration.md#exports-in-flight).");

  // 65536 spans: about 2.5 s of a 4-thread app at 26k commands/s, the longest the memtrace
  // collector took to acknowledge a request in the load run; encoded, about 270 bytes a span
  public static final Setting<Integer> EXPORT_MAX_QUEUED_SPANS = Setting.file("export.max-queued-spans",
      integer(0, 1 << 20), "65536", "Spans, encoded and waiting for a connection or in flight, the trace "
          + "exporter may hold once every export in flight is busy (about 270 bytes each); 0 holds none. "
          + "While memtrace starts, as many events, and at most twice the ring's size, may wait beyond the ring "
          + "instead (about 150 bytes each, and the application's objects they point to). "
          + "See [Backpressure](../configuration.md#backpressure).");

  public static final Setting<Integer> SHUTDOWN_TIMEOUT_MS = Setting.file("shutdown.timeout-ms",
      integer(0, 600_000), "5000", "Drain and flush budget at JVM exit, in ms.");

  public static final Setting<Boolean> DEBUG = Setting.file("debug", bool(), "false",
      "Log each class instrumented and each rule applied, and stack traces with warnings.")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  // a mistake in retention falls back to the default (reported) rather than switching memtrace off:
  // at worst every span is exported, as without retention
  public static final Setting<Boolean> RETENTION_ENABLED = Setting.file("retention.enabled", bool(), "true",
      "Keep what matters and compress the other Redis spans into counts; see [Retention](../retention.md).")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Long> RETENTION_SLOW_THRESHOLD = Setting.file("retention.slow-threshold",
      millis(0, 600_000), "10", "With retention: Redis spans taking at least this long, in ms, are "
          + "always kept (0 keeps every span).")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Integer> RETENTION_SAMPLE_PER_INTERVAL = Setting.file("retention.sample-per-interval",
      integer(0, 10_000), "1", "With retention: the first spans of each (command, namespace) kept per interval.")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Long> RETENTION_INTERVAL = Setting.file("retention.interval",
      millis(100, 3_600_000), "10000", "With retention: the length of a sampling interval and of a "
          + "summary span, in ms.")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Boolean> RETENTION_KEY_EVENTS = Setting.file("retention.key-events", bool(), "false",
      "With retention: each compressed command that names a key still goes out as a compact key event (key or its "
      + "hash, database, server, command, time, sizes, ids; never a value), so that lineage and timelines stay exact; "
      + "see [Retention](../retention.md).")
      .onProblem(ConfigProblem.Effect.FALLBACK);

  public static final Setting<Void> MEMORY_MANAGERS = Setting.section("memory-managers",
      "Memory-manager rules, see [Memory managers and tasks](../memory-managers.md).");

  public static final Setting<Void> TASKS = Setting.section("tasks",
      "Task rules, see [Memory managers and tasks](../memory-managers.md).");

  /** Read by the collector's keyspace watcher, not by the agent, which only accepts it. */
  public static final Setting<Void> MEMORY_STATE = Setting.foreignSection(MemoryStateSection.KEY,
      "Layers of the keyspace for the collector's watcher; the agent ignores it. See [Memory state](../memory-state.md).");

  /** Where the YAML file is; also {@code -javaagent:memtrace-agent.jar=config=PATH}, which wins. */
  public static final Setting<String> CONFIG_FILE = Setting.variable("MEMTRACE_CONFIG", "memtrace.config",
      text("a path"), null,
      "The YAML file of memtrace's own settings; `-javaagent:…=config=PATH` wins over both forms.");

  public static final Setting<String> TRACES_FILE = Setting.variable("MEMTRACE_TRACES_FILE",
      "memtrace.traces.file", text("a path"), null,
      "Also append every batch of spans as one line of OTLP JSON to this file, whatever "
          + "`OTEL_TRACES_EXPORTER` says (also with `none`).");

  public static final Setting<String> METRICS_FILE = Setting.variable("MEMTRACE_METRICS_FILE",
      "memtrace.metrics.file", text("a path"), null,
      "Also append every metrics export as one line of OTLP JSON to this file.");

  /** memtrace's own settings in the reference's order: file settings, then the file locations. */
  static final List<Setting<?>> OWN = List.of(SPAN_PREFIX, CAPTURE_KEYS, CAPTURE_VALUES, CAPTURE_VALUE_MAX_BYTES,
      CAPTURE_FINGERPRINTS, CAPTURE_FINGERPRINT_KEY, CAPTURE_VALUE_SIZE, CAPTURE_REDACT_KEYS, CONVENTIONS, PROFILE_SPRING_AI, PROFILE_LANGCHAIN4J, REDIS_ENABLED, REDIS_NAMESPACE_FROM_KEY,
      REDIS_HANDSHAKE_SPANS, RING_SIZE, EXPORT_MAX_IN_FLIGHT, EXPORT_MAX_QUEUED_SPANS, SHUTDOWN_TIMEOUT_MS, DEBUG, RETENTION_ENABLED,
      RETENTION_SLOW_THRESHOLD, RETENTION_SAMPLE_PER_INTERVAL, RETENTION_INTERVAL, RETENTION_KEY_EVENTS, MEMORY_MANAGERS, TASKS, MEMORY_STATE, CONFIG_FILE, TRACES_FILE, METRICS_FILE);

  private static final Map<String, Setting<?>> BY_KEY = index();

  /** Every setting, memtrace's own first; a setting comes after the one it inherits from. */
  public static List<Setting<?>> all() {
    List<Setting<?>> all = new ArrayList<>(OWN);
    all.addAll(OtelSettings.ALL);
    return Collections.unmodifiableList(all);
  }

  /** The declaration for a YAML key, or {@code null} when there is none. */
  static Setting<?> inFile(String key) {
    Setting<?> s = BY_KEY.get(key);
    return s != null && s.inFile() ? s : null;
  }

  private static Map<String, Setting<?>> index() {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    for (Setting<?> s : all()) {
      if (byKey.put(s.key(), s) != null) {
        throw new IllegalStateException("setting " + s.key() + " is declared twice");
      }
    }
    return byKey;
  }

  /** The OpenTelemetry setting whose memtrace-only property is {@code propertyName}, or {@code null}. */
  static Setting<?> withTwinProperty(String propertyName) {
    for (Setting<?> s : OtelSettings.ALL) {
      if (propertyName.equals(s.twinPropertyName())) {
        return s;
      }
    }
    return null;
  }

  /** YAML keys of the same section as {@code key}, to suggest when a key is unknown. */
  static String fileKeysNear(String key) {
    int dot = key.indexOf('.');
    String section = dot < 0 ? "" : key.substring(0, dot + 1);
    String near = fileKeys(section);
    // an unknown section (otel.service.name in the file) has no keys near it: list them all
    return near.isEmpty() ? fileKeys("") : near;
  }

  private static String fileKeys(String section) {
    StringBuilder known = new StringBuilder();
    for (Setting<?> s : OWN) {
      if (s.inFile() && (section.isEmpty() || s.key().startsWith(section))) {
        known.append(known.length() == 0 ? "" : ", ").append(s.key());
      }
    }
    return known.toString();
  }
}
