package io.memtrace.collector.truth;

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
import java.util.List;

/**
 * The traced Java service: {@code TruthServiceProgram} in a JVM of its own under the real agent jar, exporting to
 * the suite's {@code serve}, kept for the whole run and told each step on its input. It keeps one connection, so its
 * spans come in the order of its steps, and the suite pairs each step with its span by that order.
 */
final class TracedService implements AutoCloseable {

  static final String SERVICE = "truth-java";
  private static final Path PROGRAM = TestPrograms.SOURCES.resolve("TruthServiceProgram.java");

  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;
  /** The span names the service's steps make, in order (a SELECT first when the step changes database). */
  private final List<String> spanNames = new ArrayList<>();
  private int db;

  private TracedService(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.getOutputStream();
  }

  static TracedService start(Path dir, TruthRedis redis, String collector) throws Exception {
    Files.createDirectories(dir);
    String classPath = TestPrograms.compileInto(dir.resolve("classes"), "17", TestPrograms.libraryClassPath("jedis"),
        PROGRAM);
    Path config = Files.writeString(dir.resolve("memtrace.yaml"), "retention:\n  enabled: false\n");
    ForkedJvm jvm = ForkedJvm.program(classPath, "TruthServiceProgram", redis.host, String.valueOf(redis.port))
        .withAgent("config=" + config).exportTo(collector)
        .env("OTEL_METRICS_EXPORTER", "none").env("OTEL_SERVICE_NAME", SERVICE)
        .env("MEMTRACE_RETENTION_ENABLED", "false").env("OTEL_BSP_SCHEDULE_DELAY", "200");
    ProcessBuilder builder = jvm.processBuilder(dir).redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectInput(ProcessBuilder.Redirect.PIPE).redirectError(dir.resolve("stderr.txt").toFile());
    TracedService service = new TracedService(builder.start());
    String ready = service.out.readLine();
    if (!"READY".equals(ready)) {
      throw new IOException("the traced service did not start (" + ready + "): see " + dir);
    }
    return service;
  }

  /** Runs {@code step} on database {@code db} with its commands placed; a reply per command. */
  List<String> run(Step step, int db, List<List<String>> commands) throws IOException {
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
      throw new IOException("the traced service answered " + reply + " to " + line);
    }
    if (db != this.db) {
      spanNames.add("SELECT");
      this.db = db;
    }
    spanNames.add(step.batch() == Step.Batch.ONE ? commands.get(0).get(0)
        : step.batch() == Step.Batch.PIPE ? "PIPELINE" : "MULTI");
    return Arrays.asList(reply.substring(2).split("\t", -1));
  }

  /** The first word of each span name the steps made, in order: the CLIENT SETNAME before them is not counted. */
  List<String> spanNames() {
    return List.copyOf(spanNames);
  }

  /** Ends the service; its agent exports what is left as the JVM shuts down. */
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
