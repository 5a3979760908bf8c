package io.memtrace.bench.overhead;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One way of running the workload JVM: its extra JVM options and environment. */
public final class Variant {

  public final String name;
  public final String label;
  final List<String> jvmArgs;
  final Map<String, String> env;

  private Variant(String name, String label, List<String> jvmArgs, Map<String, String> env) {
    this.name = name;
    this.label = label;
    this.jvmArgs = jvmArgs;
    this.env = env;
  }

  /** A variant of one's own, e.g. the load run's: {@code jvmArgs} before the main class, {@code env} added. */
  public static Variant of(String name, String label, List<String> jvmArgs, Map<String, String> env) {
    return new Variant(name, label, List.copyOf(jvmArgs), Map.copyOf(env));
  }

  boolean traces() {
    return !name.equals("none") && !name.equals("memtrace-noexport");
  }

  /** The environment that switches memtrace's retention on (setting {@code retention.enabled}). */
  public static final Map<String, String> RETENTION_ON = Map.of("MEMTRACE_RETENTION_ENABLED", "true");
  /** The environment that switches it off: every span exported (full capture). */
  public static final Map<String, String> RETENTION_OFF = Map.of("MEMTRACE_RETENTION_ENABLED", "false");

  /** The name of the variant that runs memtrace as an extension of the OpenTelemetry agent. */
  static final String OTEL_EXTENSION = "otel-extension";

  /**
   * The variants of the issues, in a fixed order. Every agent exports to {@code sink} over
   * OTLP/HTTP (protobuf) with its own defaults otherwise; the OpenTelemetry agent's log exporter is
   * off because memtrace exports no logs and the workload writes none. {@code extensionJar} is
   * memtrace's OpenTelemetry extension; the {@value #OTEL_EXTENSION} variant names it whether it
   * exists or not (the harness skips it when it does not).
   */
  static List<Variant> all(Path memtraceJar, Path baselineJar, Path otelJar, Path extensionJar, String sink) {
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("none", "no agent", List.of(), Map.of()));
    Map<String, String> memtrace = new LinkedHashMap<>();
    memtrace.put("OTEL_SERVICE_NAME", "overhead");
    memtrace.put("OTEL_EXPORTER_OTLP_ENDPOINT", sink);
    memtrace.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    memtrace.put("MEMTRACE_RETENTION_ENABLED", "false"); // full capture; the retention variant below
    variants.add(new Variant("memtrace", "memtrace", agents(memtraceJar), memtrace));
    // the first start of an agent jar on a host: nothing woven in an earlier start can be kept or found
    variants.add(new Variant("memtrace-coldcache", "memtrace, no woven classes cached (a first start)",
        agents(memtraceJar), with(memtrace, "MEMTRACE_CACHE_DIR", "/dev/null/memtrace")));
    if (baselineJar != null) {
      variants.add(new Variant("memtrace-baseline", "memtrace, baseline build (" + baselineJar.getFileName() + ")",
          agents(baselineJar), memtrace));
    }
    variants.add(new Variant("memtrace-noexport", "memtrace, OTEL_TRACES_EXPORTER=none", agents(memtraceJar),
        with(memtrace, "OTEL_TRACES_EXPORTER", "none")));
    Map<String, String> retention = new LinkedHashMap<>(memtrace);
    retention.putAll(RETENTION_ON);
    variants.add(new Variant("memtrace-retention", "memtrace, retention on", agents(memtraceJar), retention));
    // the defaults with retention.key-events (the demo's): what the compact key events add to the application
    variants.add(new Variant("memtrace-retention-keys", "memtrace, retention on, key events on", agents(memtraceJar),
        with(retention, "MEMTRACE_RETENTION_KEY_EVENTS", "true")));
    if (baselineJar != null) { // the baseline build with the defaults, to compare with memtrace-retention
      variants.add(new Variant("memtrace-baseline-retention", "memtrace, baseline build, retention on",
          agents(baselineJar), retention));
      // and with key events, to compare with memtrace-retention-keys
      variants.add(new Variant("memtrace-baseline-retention-keys", "memtrace, baseline build, retention on, key events on",
          agents(baselineJar), with(retention, "MEMTRACE_RETENTION_KEY_EVENTS", "true")));
    }
    // the built-in Spring AI and LangChain4j profiles off: what they cost an application without those libraries
    variants.add(new Variant("memtrace-noprofiles", "memtrace, built-in profiles off", agents(memtraceJar),
        with(memtrace, "MEMTRACE_PROFILES_SPRING_AI", "false", "MEMTRACE_PROFILES_LANGCHAIN4J", "false")));
    Map<String, String> otel = with(memtrace, "OTEL_LOGS_EXPORTER", "none");
    variants.add(new Variant("otel-agent", "OpenTelemetry Java agent 2.33.1", agents(otelJar), otel));
    // both agents, the OpenTelemetry one first as a team adding memtrace to it would; memtrace is
    // given its own endpoint and name through its MEMTRACE_* twins, which that agent never reads
    variants.add(new Variant("otel+memtrace", "OpenTelemetry agent, then memtrace (MEMTRACE_* endpoint)",
        agents(otelJar, memtraceJar), with(otel, "MEMTRACE_SERVICE_NAME", "overhead-memtrace",
            "MEMTRACE_EXPORTER_OTLP_ENDPOINT", sink, "MEMTRACE_EXPORTER_OTLP_PROTOCOL", "http/protobuf")));
    variants.add(new Variant(OTEL_EXTENSION, "OpenTelemetry agent + memtrace extension",
        List.of("-javaagent:" + otelJar, "-Dotel.javaagent.extensions=" + extensionJar), otel));
    return variants;
  }

  /** A {@code -javaagent} option for each jar, in order. */
  private static List<String> agents(Path... jars) {
    List<String> args = new ArrayList<>();
    for (Path jar : jars) {
      args.add("-javaagent:" + jar);
    }
    return args;
  }

  /** {@code base} and then the pairs {@code keysAndValues} names, in that order. */
  private static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
    Map<String, String> env = new LinkedHashMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return env;
  }
}
