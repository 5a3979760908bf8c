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
 * and the suite pairs each step with its span by that order.
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
  private int db;

  private TracedService(String name, Set<String> notSteps, Process process, Path dir) throws IOException {
    this.name = name;
    this.notSteps = notSteps;
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.getOutputStream();
    String ready = out.readLine();
    if (!"READY".equals(ready)) {
      throw new IOException(name + " did not start (" + ready + "): see " + dir);
    }
  }

  static TracedService java(Path dir, TruthRedis redis, String collector) throws Exception {
    Files.createDirectories(dir);
    String classPath = TestPrograms.compileInto(dir.resolve("classes"), "17", TestPrograms.libraryClassPath("jedis"),
        TestPrograms.SOURCES.resolve("TruthServiceProgram.java"));
    Path config = Files.writeString(dir.resolve("memtrace.yaml"), "retention:\n  enabled: false\n");
    ForkedJvm jvm = ForkedJvm.program(classPath, "TruthServiceProgram", redis.host, String.valueOf(redis.port))
        .withAgent("config=" + config).exportTo(collector)
        .env("OTEL_METRICS_EXPORTER", "none").env("OTEL_SERVICE_NAME", JAVA)
        .env("MEMTRACE_RETENTION_ENABLED", "false");
    return new TracedService(JAVA, Set.of("CLIENT"), started(jvm.processBuilder(dir), dir), dir);
  }

  /** The Node service, its packages installed as NodeClientsIT installs them (npm's cache makes it local). */
  static TracedService node(TruthRedis redis, String collector) throws Exception {
    Path work = ClientWorkloads.prepare("node", "npm", "package.json", "package-lock.json", "truth-service.cjs");
    if (!Files.isDirectory(work.resolve("node_modules/ioredis"))) {
      ClientWorkloads.run(work, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
    }
    ProcessBuilder node = new ProcessBuilder("node", "truth-service.cjs", String.valueOf(redis.port),
        collector + "/v1/traces").directory(work.toFile());
    return new TracedService(NODE, Set.of("CLIENT", "CONNECT", "HELLO", "SELECT", "QUIT", "INFO"), started(node, work),
        work);
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
    }
    this.db = db;
    spanNames.add(step.batch() == Step.Batch.ONE ? commands.get(0).get(0)
        : step.batch() == Step.Batch.PIPE ? "PIPELINE" : "MULTI");
    runs.add(run);
    List<String> first = commands.get(0);
    keys.add(step.batch() == Step.Batch.ONE && first.size() > 1 && first.get(1).matches("t\\d+:[ab]") ? first.get(1)
        : null);
    return Arrays.asList(reply.substring(2).split("\t", -1));
  }

  /**
   * Pairs each step with its span, by span id: the service's spans in the order they began are its steps' in the
   * order they ran, once every span is in (the service exports the last ones as it ends). Names are compared case
   * aside (Node's are lower case).
   */
  Map<String, Integer> pairSpans(MemtraceAnswers answers) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    List<String[]> spans = steps(answers);
    while (spans.size() < spanNames.size() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      spans = steps(answers);
    }
    if (spans.size() != spanNames.size()) {
      throw new AssertionError(name + " ran " + spanNames.size() + " spans' steps and memtrace holds " + spans.size());
    }
    // Node's spans start in whole milliseconds: two steps may tie, so each step takes the first of the next few spans
    // of its name and key
    List<String[]> left = new ArrayList<>(spans);
    Map<String, Integer> runOfSpan = new HashMap<>();
    for (int i = 0; i < spanNames.size(); i++) {
      int j = 0;
      while (j < Math.min(3, left.size()) && !(first(left.get(j)[1]).equals(spanNames.get(i))
          && (keys.get(i) == null || left.get(j)[2] == null || keys.get(i).equals(left.get(j)[2])))) {
        j++;
      }
      if (j == Math.min(3, left.size())) {
        throw new AssertionError("span " + i + " of " + name + " is " + left.get(0)[1] + ", its step's "
            + spanNames.get(i) + " " + keys.get(i));
      }
      if (runs.get(i) != null) {
        runOfSpan.put(left.get(j)[0], runs.get(i));
      }
      left.remove(j);
    }
    return runOfSpan;
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
