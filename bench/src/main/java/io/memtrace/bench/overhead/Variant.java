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
    variants.add(new Variant("memtrace", "memtrace",
        List.of("-javaagent:" + memtraceJar), memtrace));
    // the first start of an agent jar on a host: nothing woven in an earlier start can be kept or found
    Map<String, String> coldCache = new LinkedHashMap<>(memtrace);
    coldCache.put("MEMTRACE_CACHE_DIR", "/dev/null/memtrace");
    variants.add(new Variant("memtrace-coldcache", "memtrace, no woven classes cached (a first start)",
        List.of("-javaagent:" + memtraceJar), coldCache));
    if (baselineJar != null) {
      variants.add(new Variant("memtrace-baseline", "memtrace, baseline build (" + baselineJar.getFileName() + ")",
          List.of("-javaagent:" + baselineJar), memtrace));
    }
    Map<String, String> noExport = new LinkedHashMap<>(memtrace);
    noExport.put("OTEL_TRACES_EXPORTER", "none");
    variants.add(new Variant("memtrace-noexport", "memtrace, OTEL_TRACES_EXPORTER=none",
        List.of("-javaagent:" + memtraceJar), noExport));
    Map<String, String> retention = new LinkedHashMap<>(memtrace);
    retention.putAll(RETENTION_ON);
    variants.add(new Variant("memtrace-retention", "memtrace, retention on",
        List.of("-javaagent:" + memtraceJar), retention));
    // the defaults with retention.key-events (the demo's): what the compact key events add to the application
    Map<String, String> keyEvents = new LinkedHashMap<>(retention);
    keyEvents.put("MEMTRACE_RETENTION_KEY_EVENTS", "true");
    variants.add(new Variant("memtrace-retention-keys", "memtrace, retention on, key events on",
        List.of("-javaagent:" + memtraceJar), keyEvents));
    if (baselineJar != null) { // the baseline build with the defaults, to compare with memtrace-retention
      variants.add(new Variant("memtrace-baseline-retention", "memtrace, baseline build, retention on",
          List.of("-javaagent:" + baselineJar), retention));
    }
    // the built-in Spring AI and LangChain4j profiles off: what they cost an application without those libraries
    Map<String, String> noProfiles = new LinkedHashMap<>(memtrace);
    noProfiles.put("MEMTRACE_PROFILES_SPRING_AI", "false");
    noProfiles.put("MEMTRACE_PROFILES_LANGCHAIN4J", "false");
    variants.add(new Variant("memtrace-noprofiles", "memtrace, built-in profiles off",
        List.of("-javaagent:" + memtraceJar), noProfiles));
    Map<String, String> otel = new LinkedHashMap<>(memtrace);
    otel.put("OTEL_LOGS_EXPORTER", "none");
    variants.add(new Variant("otel-agent", "OpenTelemetry Java agent 2.33.1",
        List.of("-javaagent:" + otelJar), otel));
    // both agents, the OpenTelemetry one first as a team adding memtrace to it would; memtrace is
    // given its own endpoint and name through its MEMTRACE_* twins, which that agent never reads
    Map<String, String> both = new LinkedHashMap<>(otel);
    both.put("MEMTRACE_SERVICE_NAME", "overhead-memtrace");
    both.put("MEMTRACE_EXPORTER_OTLP_ENDPOINT", sink);
    both.put("MEMTRACE_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    variants.add(new Variant("otel+memtrace", "OpenTelemetry agent, then memtrace (MEMTRACE_* endpoint)",
        List.of("-javaagent:" + otelJar, "-javaagent:" + memtraceJar), both));
    variants.add(new Variant(OTEL_EXTENSION, "OpenTelemetry agent + memtrace extension",
        List.of("-javaagent:" + otelJar, "-Dotel.javaagent.extensions=" + extensionJar), otel));
    return variants;
  }
}
