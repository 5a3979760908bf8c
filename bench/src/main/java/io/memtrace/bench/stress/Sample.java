package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One second of a stress application's measurement, as its sampler wrote it (a line of the
 * {@code --samples} file; see StressApp). Agent fields are -1 when the run had no agent;
 * {@link #redisUsedMb} is filled in by the harness, which polls Redis itself.
 */
public record Sample(long t, long ops, long errors, long verifyFailures, double p50us, double p99us, double p999us,
    double maxUs, double heapUsedMb, double heapAfterGcMb, long threads, long fds, long sockets, long processCpuMs,
    long level, long produced, long exported, long compressed, long dropped, long exportFailures, long ringSize,
    long ringUsedMax, long agentCpuMs, long agentThreads, double redisUsedMb) {

  /** The threads that are not memtrace's: the application's own, and the JVM's. */
  long appThreads() {
    return agentThreads < 0 ? threads : threads - agentThreads;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static Sample parse(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    return new Sample(n.path("t").asLong(), n.path("ops").asLong(), n.path("errors").asLong(),
        n.path("verify_failures").asLong(), d(n, "p50_us"), d(n, "p99_us"), d(n, "p999_us"), d(n, "max_us"),
        d(n, "heap_used_mb"), d(n, "heap_after_gc_mb"), n.path("threads").asLong(), n.path("fds").asLong(),
        n.path("sockets").asLong(), n.path("process_cpu_ms").asLong(), n.path("level").asLong(),
        n.path("produced").asLong(-1), n.path("exported").asLong(-1), n.path("compressed").asLong(-1),
        n.path("dropped").asLong(-1), n.path("export_failures").asLong(-1), n.path("ring_size").asLong(-1),
        n.path("ring_used_max").asLong(-1), n.path("agent_cpu_ms").asLong(-1), n.path("agent_threads").asLong(-1),
        Double.NaN);
  }

  private static double d(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
  }

  /** Every sample in {@code file}; none when the application wrote none. */
  static List<Sample> read(Path file) throws IOException {
    List<Sample> samples = new ArrayList<>();
    if (!Files.exists(file)) {
      return samples;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        samples.add(parse(line));
      }
    }
    return samples;
  }

  Sample withRedisUsedMb(double mb) {
    return new Sample(t, ops, errors, verifyFailures, p50us, p99us, p999us, maxUs, heapUsedMb, heapAfterGcMb, threads,
        fds, sockets, processCpuMs, level, produced, exported, compressed, dropped, exportFailures, ringSize,
        ringUsedMax, agentCpuMs, agentThreads, mb);
  }
}
