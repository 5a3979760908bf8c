package io.memtrace.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts a workload JVM, waits for it, and reads the {@code RESULT {...}} line it prints. */
final class Forks {

  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+|NaN|-?Infinity)");
  private static final Pattern MEMTRACE_SUMMARY =
      Pattern.compile("memtrace\\.events\\.exported=(\\d+) memtrace\\.events\\.dropped=(\\d+) "
          + "memtrace\\.export\\.failures=(\\d+)");

  private Forks() {
  }

  /** What one fork printed and how long it took. */
  static final class Outcome {
    final Map<String, Double> values;
    final double wallSeconds;
    /** When the process was started, in {@link System#currentTimeMillis} time. */
    final long startedAtMillis;
    final Path log;

    Outcome(Map<String, Double> values, double wallSeconds, long startedAtMillis, Path log) {
      this.values = values;
      this.wallSeconds = wallSeconds;
      this.startedAtMillis = startedAtMillis;
      this.log = log;
    }

    double get(String key) {
      Double v = values.get(key);
      return v == null ? Double.NaN : v;
    }
  }

  static Outcome run(Variant variant, List<String> jvmOptions, Path classpath, String mainClass,
      List<String> args, Path log, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(variant.jvmArgs);
    command.add("-cp");
    command.add(classpath.toString());
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    builder.environment().putAll(variant.env);
    Path out = log.resolveSibling(log.getFileName() + ".out");
    builder.redirectOutput(out.toFile());
    builder.redirectError(log.toFile());
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(variant.name + " " + mainClass + " did not finish in " + timeoutSeconds
          + " s; see " + log);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(variant.name + " " + mainClass + " exited with " + process.exitValue()
          + "; see " + log + "\n" + tail(log));
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      if (line.startsWith("RESULT ")) {
        Matcher m = NUMBER.matcher(line);
        while (m.find()) {
          values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
      }
    }
    if (values.isEmpty()) {
      throw new IOException(variant.name + " " + mainClass + " printed no RESULT line; see " + out);
    }
    Matcher summary = MEMTRACE_SUMMARY.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (summary.find()) {
      values.put("memtrace_exported", Double.parseDouble(summary.group(1)));
      values.put("memtrace_dropped", Double.parseDouble(summary.group(2)));
      values.put("memtrace_export_failures", Double.parseDouble(summary.group(3)));
    }
    return new Outcome(values, wall, startedAt, log);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
