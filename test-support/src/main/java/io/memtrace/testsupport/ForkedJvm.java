package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A java program in a fresh JVM, with or without the built agent jar ({@link BuildPaths#AGENT_JAR}) and
 * other {@code -javaagent}s: a main class on a class path, or an executable jar (a Spring Boot fat jar, the
 * demo, the collector). Nothing of the environment of whoever runs the tests reaches it
 * ({@link ForkedEnvironment}); it exports nowhere unless told.
 */
public final class ForkedJvm {

  private Path java = BuildPaths.JAVA;
  private boolean agent;
  private String agentArgs;
  private final List<String> agentsBefore = new ArrayList<>();
  private final List<String> agentsAfter = new ArrayList<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private final ForkedEnvironment env = new ForkedEnvironment();
  private String classPath;
  private String mainClass;
  private Path jar;
  private final List<String> args = new ArrayList<>();
  private Duration timeout = Duration.ofMinutes(2);
  private Duration stallWindow = Progress.STALL_WINDOW;
  private boolean fullJit;

  /** The cheapest JVM that still runs the real program: a test JVM lives seconds, and C2 never pays back then. */
  static final List<String> CHEAP_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ForkedJvm() {
  }

  /** {@code java -cp classPath mainClass args}. */
  public static ForkedJvm program(String classPath, String mainClass, String... args) {
    ForkedJvm jvm = new ForkedJvm();
    jvm.classPath = classPath;
    jvm.mainClass = mainClass;
    jvm.args.addAll(List.of(args));
    return jvm;
  }

  /** {@code java -jar jar args}: an executable jar such as a Spring Boot fat jar (classes in nested jars). */
  public static ForkedJvm jar(Path jar, String... args) {
    ForkedJvm jvm = new ForkedJvm();
    jvm.jar = jar;
    jvm.args.addAll(List.of(args));
    return jvm;
  }

  /** With {@code -javaagent:memtrace-agent.jar}. */
  public ForkedJvm withAgent() {
    this.agent = true;
    return this;
  }

  /** With {@code -javaagent:memtrace-agent.jar=args}, e.g. {@code config=/path/memtrace.yaml}. */
  public ForkedJvm withAgent(String args) {
    this.agent = true;
    this.agentArgs = args;
    return this;
  }

  /** Another {@code -javaagent} ahead of memtrace's on the command line (its premain runs first). */
  public ForkedJvm javaagentBefore(Path jar) {
    agentsBefore.add("-javaagent:" + jar);
    return this;
  }

  /** Another {@code -javaagent} after memtrace's on the command line (its premain runs second). */
  public ForkedJvm javaagentAfter(Path jar) {
    agentsAfter.add("-javaagent:" + jar);
    return this;
  }

  /** Another java executable than the test JVM's own. */
  public ForkedJvm java(Path executable) {
    this.java = executable;
    return this;
  }

  public ForkedJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  /** The JVM's own defaults (C2 and its default collector), for a program whose speed the test depends on. */
  public ForkedJvm fullJit() {
    this.fullJit = true;
    return this;
  }

  /** An environment variable; of two settings of one variable (here or by the options below), the later wins. */
  public ForkedJvm env(String name, String value) {
    env.set(name, value);
    return this;
  }

  /** Every span exported (memtrace's retention off): for the tests that count them. */
  public ForkedJvm everySpan() {
    return env("MEMTRACE_RETENTION_ENABLED", "false");
  }

  /**
   * Every batch of spans appended to {@code file} as a line of OTLP JSON ({@code MEMTRACE_TRACES_FILE}), whatever the
   * exporters; {@link ExportedSpans#read} reads them back.
   */
  public ForkedJvm tracesTo(Path file) {
    return env("MEMTRACE_TRACES_FILE", file.toString());
  }

  /** Traces and metrics over OTLP/HTTP protobuf to {@code endpoint}, as a user's collector would get them. */
  public ForkedJvm exportTo(String endpoint) {
    return env("OTEL_TRACES_EXPORTER", "otlp").env("OTEL_METRICS_EXPORTER", "otlp")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint).env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  }

  /**
   * The CPU time (its own and its descendants') {@link #run} lets the program use (two minutes unless set): a bound on
   * its work, not on the wall clock, so a loaded machine does not break it ({@link Progress}).
   */
  public ForkedJvm timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** How long {@link #run} lets the program use next to no CPU before it calls it hung ({@link Progress#STALL_WINDOW}). */
  public ForkedJvm stallWindow(Duration window) {
    this.stallWindow = window;
    return this;
  }

  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(agentsBefore);
    if (agent) {
      cmd.add("-javaagent:" + BuildPaths.AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
    }
    cmd.addAll(agentsAfter);
    if (!fullJit) {
      CHEAP_START.stream().filter(flag -> !jvmArgs.contains(flag)).forEach(cmd::add);
    }
    cmd.addAll(CollectorArchive.options(java, jar, classPath));
    cmd.addAll(jvmArgs);
    if (jar != null) {
      cmd.add("-jar");
      cmd.add(jar.toString());
    } else {
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add(mainClass);
    }
    cmd.addAll(args);
    return cmd;
  }

  /** The process to start in {@code dir}, for a test that reads its output as it comes. */
  public ProcessBuilder processBuilder(Path dir) throws IOException {
    Files.createDirectories(dir);
    ProcessBuilder pb = new ProcessBuilder(command()).directory(dir.toFile());
    env.applyTo(pb.environment());
    return pb;
  }

  /**
   * Runs to completion in {@code dir} (created), its output in {@code stdout.txt} and {@code stderr.txt} there. It fails,
   * with the program's threads, when the program stops making progress or outgrows its {@link #timeout} of CPU.
   */
  public Result run(Path dir) throws IOException, InterruptedException {
    Running running = start(dir);
    Progress progress = new Progress(running.process.toHandle(), timeout, stallWindow);
    String why = progress.await(millis -> running.process.waitFor(millis, TimeUnit.MILLISECONDS));
    if (why != null) {
      String threads = ThreadDumps.of(running.process, running.out);
      running.process.destroyForcibly();
      throw new AssertionError("forked JVM did not finish: it " + why + ": " + command() + "\n--- its threads, as "
          + "SIGQUIT printed them\n" + threads + "\n" + running.result());
    }
    return running.result();
  }

  /** Starts it in {@code dir} (created), its output in {@code stdout.txt} and {@code stderr.txt} there. */
  public Running start(Path dir) throws IOException {
    ProcessBuilder pb = processBuilder(dir);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new Running(pb.start(), out, err);
  }

  /** A forked JVM still running, or ended; stopped by its own pid at {@link #close}. */
  public static final class Running implements AutoCloseable {

    public final Process process;
    private final Path out;
    private final Path err;
    private final long start = System.nanoTime();

    Running(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** SIGTERM (shutdown hooks run), then at most 30 s before SIGKILL; what it printed. */
    public Result stop() throws IOException, InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return result();
    }

    /** What it printed so far, and its exit code (-1 while it runs). */
    public Result result() throws IOException {
      return new Result(process.isAlive() ? -1 : process.exitValue(), read(out), read(err),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }

    private static String read(Path file) throws IOException {
      return Files.exists(file) ? Files.readString(file) : "";
    }
  }

  /** How a forked JVM ended and what it printed. */
  public static final class Result {
    public final int exitCode;
    public final String stdout;
    public final String stderr;
    public final long millis;

    Result(int exitCode, String stdout, String stderr, long millis) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.millis = millis;
    }

    /**
     * A command's outcome in the same shape when a test ran it in its own JVM (the command's code is the same; the
     * process is not what that test checks).
     */
    public static Result inThisJvm(int exitCode, String stdout, String stderr, long millis) {
      return new Result(exitCode, stdout, stderr, millis);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }
}
