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
public final class Forks {

  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+|NaN|-?Infinity)");

  private Forks() {
  }

  /** What one fork printed and how long it took. */
  public static final class Outcome {
    public final Map<String, Double> values;
    public final double wallSeconds;
    /** When the process was started, in {@link System#currentTimeMillis} time. */
    final long startedAtMillis;
    public final Path log;

    public Outcome(Map<String, Double> values, double wallSeconds, long startedAtMillis, Path log) {
      this.values = values;
      this.wallSeconds = wallSeconds;
      this.startedAtMillis = startedAtMillis;
      this.log = log;
    }

    public double get(String key) {
      Double v = values.get(key);
      return v == null ? Double.NaN : v;
    }
  }

  /**
   * Runs {@code mainClass} from {@code classpath} under {@code variant} (inherited OTEL_*, MEMTRACE_* and
   * JAVA_TOOL_OPTIONS cleared), stdout to {@code log}.out and stderr to {@code log}; fails when it
   * runs past {@code timeoutSeconds}, exits non-zero or prints no RESULT line.
   */
  public static Outcome run(Variant variant, List<String> jvmOptions, Path classpath, String mainClass,
      List<String> args, Path log, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> launch = new ArrayList<>(List.of("-cp", classpath.toString(), mainClass));
    launch.addAll(args);
    Outcome outcome = start(variant, new ArrayList<>(), jvmOptions, launch, log, timeoutSeconds, mainClass);
    Path out = log.resolveSibling(log.getFileName() + ".out");
    if (!Files.readString(out, StandardCharsets.UTF_8).contains("RESULT ")) {
      throw new IOException(variant.name + " " + mainClass + " printed no RESULT line; see " + out);
    }
    return outcome;
  }

  /** Where GNU time is, to measure a process that cannot report on itself; absent on some machines. */
  private static final Path TIME = Paths.get("/usr/bin/time");

  /**
   * Runs {@code java -jar jar args} under {@code variant}, as {@link #run}, for an application that
   * prints no RESULT line: it must print {@code expected} on stdout. Its peak RSS and CPU time
   * ({@code peak_rss_kb}, {@code exit_cpu_s}) are read by GNU time, when the machine has it.
   */
  public static Outcome runJar(Variant variant, List<String> jvmOptions, Path jar, List<String> args,
      String expected, Path log, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> launch = new ArrayList<>(List.of("-jar", jar.toString()));
    launch.addAll(args);
    List<String> prefix = new ArrayList<>();
    Path timed = log.resolveSibling(log.getFileName() + ".time");
    if (Files.isExecutable(TIME)) {
      prefix.addAll(List.of(TIME.toString(), "-o", timed.toString(), "-f", "%M %U %S"));
    }
    Outcome outcome = start(variant, prefix, jvmOptions, launch, log, timeoutSeconds, jar.getFileName().toString());
    Path out = log.resolveSibling(log.getFileName() + ".out");
    if (!Files.readString(out, StandardCharsets.UTF_8).contains(expected)) {
      throw new IOException(variant.name + " " + jar.getFileName() + " did not print '" + expected + "'; see " + out);
    }
    if (!prefix.isEmpty()) {
      String[] fields = Files.readString(timed, StandardCharsets.UTF_8).trim().split("\\s+");
      int n = fields.length;
      outcome.values.put("peak_rss_kb", Double.parseDouble(fields[n - 3]));
      outcome.values.put("exit_cpu_s", Double.parseDouble(fields[n - 2]) + Double.parseDouble(fields[n - 1]));
    }
    return outcome;
  }

  private static Outcome start(Variant variant, List<String> prefix, List<String> jvmOptions,
      List<String> launch, Path log, long timeoutSeconds, String what) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(variant.jvmArgs);
    command.addAll(launch);
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
      throw new IOException(variant.name + " " + what + " did not finish in " + timeoutSeconds
          + " s; see " + log);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(variant.name + " " + what + " exited with " + process.exitValue()
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
    AgentSummary.parse(Files.readString(log, StandardCharsets.UTF_8)).copyInto(values);
    return new Outcome(values, wall, startedAt, log);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
