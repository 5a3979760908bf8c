package io.memtrace.collector.truth;

import io.memtrace.collector.it.ClientWorkloads;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A traced service, kept for the whole run and told each step on its input: {@code TruthServiceProgram} in a JVM
 * under the real agent jar, or {@code truth-service.cjs} (ioredis under the standard OpenTelemetry instrumentation);
 * both export to the suite's {@code serve}. Each keeps one connection, so its spans come in the order of its steps,
 * and the suite pairs each step with its span by that order. The Java service runs at full capture, or under
 * memtrace's defaults with key events on ({@code compressing}): then a compressed command is stored from its key
 * event, with its own ids and times, and one that names no scenario key (a SELECT, a pipeline, a transaction, a
 * FLUSHDB) may have no span at all.
 */
final class TracedService implements AutoCloseable {

  static final String JAVA = "truth-java";
  static final String NODE = "truth-node";

  final String name;
  /**
   * The spans of the service that are no step's, upper case: its connection's set-up (Node's ioredis names them, and
   * its database changes, in milliseconds that may tie with a step's); the Java service's SELECTs stay, in order.
   */
  private final Set<String> notSteps;
  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;
  /** The first word of the span name each step makes, in order (a SELECT first when the step changes database). */
  private final List<String> spanNames = new ArrayList<>();
  /** The run number of each of those spans' step; null for a SELECT. */
  private final List<Integer> runs = new ArrayList<>();
  /** The scenario key each of those spans' command names first, or null. */
  private final List<String> keys = new ArrayList<>();
  /** The database each of those spans' step ran on. */
  private final List<Integer> dbs = new ArrayList<>();
  /** Under retention: a step that names no scenario key may leave no span. */
  private final boolean compressing;
  /** The run numbers of the steps that left no span (under retention only). */
  final Set<Integer> unstored = new java.util.TreeSet<>();
  /** Steps whose span was not found, and spans of no step: faults the suite reports, never hides. */
  final List<String> unpaired = new ArrayList<>();
  private int db;

  private TracedService(String name, Set<String> notSteps, boolean compressing, Process process, Path dir)
      throws IOException {
    this.name = name;
    this.notSteps = notSteps;
    this.compressing = compressing;
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.getOutputStream();
    String ready = out.readLine();
    if (!"READY".equals(ready)) {
      throw new IOException(name + " did not start (" + ready + "): see " + dir);
    }
  }

  /**
   * The Java service at full capture ({@code retention.enabled: false}), or with {@code defaults} under memtrace's
   * defaults (retention on) with {@code retention.key-events: true}, in its YAML and its environment alike.
   */
  static TracedService java(Path dir, TruthRedis redis, String collector, boolean defaults) throws Exception {
    Files.createDirectories(dir);
    String classPath = TestPrograms.compileInto(dir.resolve("classes"), "17", TestPrograms.libraryClassPath("jedis"),
        TestPrograms.SOURCES.resolve("TruthServiceProgram.java"));
    Path config = Files.writeString(dir.resolve("memtrace.yaml"), defaults ? "retention:\n  key-events: true\n"
        : "retention:\n  enabled: false\n");
    ForkedJvm jvm = ForkedJvm.program(classPath, "TruthServiceProgram", redis.host, String.valueOf(redis.port))
        .withAgent("config=" + config).exportTo(collector)
        .env("OTEL_METRICS_EXPORTER", "none").env("OTEL_SERVICE_NAME", JAVA);
    jvm = defaults ? jvm.env("MEMTRACE_RETENTION_KEY_EVENTS", "true") : jvm.env("MEMTRACE_RETENTION_ENABLED", "false");
    return new TracedService(JAVA, Set.of("CLIENT"), defaults, started(jvm.processBuilder(dir), dir), dir);
  }

  /** The Node service, its packages installed as NodeClientsIT installs them (npm's cache makes it local). */
  static TracedService node(TruthRedis redis, String collector) throws Exception {
    Path work = ClientWorkloads.prepare("node", "npm", "package.json", "package-lock.json", "truth-service.cjs");
    if (!Files.isDirectory(work.resolve("node_modules/ioredis"))) {
      ClientWorkloads.run(work, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
    }
    ProcessBuilder node = new ProcessBuilder("node", "truth-service.cjs", String.valueOf(redis.port),
        collector + "/v1/traces").directory(work.toFile());
    return new TracedService(NODE, Set.of("CLIENT", "CONNECT", "HELLO", "SELECT", "QUIT", "INFO"), false,
        started(node, work), work);
  }

  private static Process started(ProcessBuilder builder, Path dir) throws IOException {
    return builder.redirectOutput(ProcessBuilder.Redirect.PIPE).redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectError(dir.resolve("truth-stderr.txt").toFile()).start();
  }

  /** Runs {@code step} (number {@code run}) on database {@code db} with its commands placed; a reply per command. */
  List<String> run(Step step, int run, int db, List<List<String>> commands) throws IOException {
    StringBuilder line = new StringBuilder();
    if (step.batch() == Step.Batch.ONE) {
      line.append("CMD\t").append(db).append('\t').append(String.join("\t", commands.get(0))).append('\n');
    } else {
      line.append(step.batch()).append('\t').append(db).append('\t').append(commands.size()).append('\n');
      commands.forEach(c -> line.append(String.join("\t", c)).append('\n'));
    }
    in.write(line.toString().getBytes(StandardCharsets.UTF_8));
    in.flush();
    String reply = out.readLine();
    if (reply == null || !reply.startsWith("R\t")) {
      throw new IOException(name + " answered " + reply + " to " + line);
    }
    if (db != this.db && !notSteps.contains("SELECT")) {
      spanNames.add("SELECT");
      runs.add(null);
      keys.add(null);
      dbs.add(null);
    }
    this.db = db;
    spanNames.add(step.batch() == Step.Batch.ONE ? commands.get(0).get(0)
        : step.batch() == Step.Batch.PIPE ? "PIPELINE" : "MULTI");
    runs.add(run);
    List<String> first = commands.get(0);
    keys.add(step.batch() == Step.Batch.ONE && first.size() > 1 && first.get(1).matches("t\\d+:[ab]") ? first.get(1)
        : null);
    dbs.add(db);
    return Arrays.asList(reply.substring(2).split("\t", -1));
  }

  /**
   * Pairs each step with its span, by span id: the service's spans in the order they began are its steps' in the
   * order they ran, once every span is in (the service exports the last ones as it ends). Names are compared case
   * aside (Node's are lower case), and keys and databases where both sides have them. Under retention a step that
   * names no scenario key takes the next span only if it is its own, else it left none ({@link #unstored}); a step
   * that names one always has a span, kept or from its key event. What cannot be paired goes to {@link #unpaired}.
   */
  Map<String, Integer> pairSpans(MemtraceAnswers answers) throws Exception {
    long needed = java.util.stream.IntStream.range(0, spanNames.size()).filter(i -> !optional(i)).count();
    long deadline = System.currentTimeMillis() + 60_000;
    List<String[]> spans = steps(answers);
    // at full capture every step's span is due; under retention the count must also hold still (a kept SELECT's)
    for (int was = compressing ? -1 : spans.size(); (spans.size() < needed || spans.size() != was)
        && System.currentTimeMillis() < deadline; spans = steps(answers)) {
      was = spans.size();
      Thread.sleep(compressing ? 500 : 200);
    }
    // Node's spans start in whole milliseconds: two steps may tie, so each step takes the first of the next few spans
    // of its name and key
    List<String[]> left = new ArrayList<>(spans);
    Map<String, Integer> runOfSpan = new HashMap<>();
    for (int i = 0; i < spanNames.size(); i++) {
      int reach = Math.min(optional(i) ? 1 : 3, left.size());
      int j = 0;
      while (j < reach && !matches(i, left.get(j))) {
        j++;
      }
      if (j == reach) {
        if (!optional(i)) {
          unpaired.add(name + " step " + spanNames.get(i) + " " + keys.get(i) + " (#" + runs.get(i) + ", db "
              + dbs.get(i) + ") has no span; the next is " + (left.isEmpty() ? "none" : String.join(" ",
              left.get(0)[1], String.valueOf(left.get(0)[2]))));
        } else if (runs.get(i) != null) {
          unstored.add(runs.get(i));
        }
        continue;
      }
      if (runs.get(i) != null) {
        runOfSpan.put(left.get(j)[0], runs.get(i));
      }
      left.remove(j);
    }
    left.forEach(s -> unpaired.add(name + " span " + s[1] + " " + s[2] + " (" + s[0] + ") is no step's"));
    return runOfSpan;
  }

  /** Under retention, a step naming no scenario key: compressed, it made no key event. */
  private boolean optional(int i) {
    return compressing && keys.get(i) == null;
  }

  private boolean matches(int i, String[] span) {
    return first(span[1]).equals(spanNames.get(i)) && (keys.get(i) == null || span[2] == null
        || keys.get(i).equals(span[2])) && (dbs.get(i) == null || span[3] == null
        || span[3].equals(String.valueOf(dbs.get(i))));
  }

  private List<String[]> steps(MemtraceAnswers answers) throws Exception {
    return answers.spans(name).stream().filter(s -> !notSteps.contains(first(s[1]))).toList();
  }

  private static String first(String spanName) {
    return spanName.split(" ")[0].toUpperCase(Locale.ROOT);
  }

  /** Ends the service; it exports what is left as it shuts down. */
  @Override
  public void close() throws Exception {
    if (!process.isAlive()) {
      return;
    }
    in.write("QUIT\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
