package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles the test programs and runs them in a fresh JVM, with or without the built agent jar. */
final class ForkedJvm {

  static final Path AGENT_JAR = Paths.get(System.getProperty("memtrace.agent.jar", "target/memtrace-agent.jar")).toAbsolutePath();
  static final Path LIBS = Paths.get(System.getProperty("memtrace.it.libs", "target/it-libs")).toAbsolutePath();
  static final Path WORK = Paths.get(System.getProperty("memtrace.it.work", "target/it-work")).toAbsolutePath();
  static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  /** The OpenTelemetry Java agent 2.33.1, fetched by the build (see the pom's it-jedis copy). */
  static final Path OTEL_AGENT_JAR = LIBS.resolve("otel-agent/opentelemetry-javaagent.jar");

  private String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  private boolean agent;
  private String agentArgs;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> agentsBefore = new ArrayList<>();
  private final List<String> agentsAfter = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private String classPath;
  private String mainClass;
  private Path jar;
  private final List<String> args = new ArrayList<>();

  /** {@code java -jar jar args}: an executable jar such as a Spring Boot fat jar (classes in nested jars). */
  static ForkedJvm jar(Path jar, String... args) {
    ForkedJvm jvm = new ForkedJvm();
    jvm.jar = jar;
    jvm.args.addAll(List.of(args));
    return jvm;
  }

  static ForkedJvm program(String classPath, String mainClass, String... args) {
    ForkedJvm jvm = new ForkedJvm();
    jvm.classPath = classPath;
    jvm.mainClass = mainClass;
    jvm.args.addAll(List.of(args));
    return jvm;
  }

  ForkedJvm withAgent() {
    this.agent = true;
    return this;
  }

  ForkedJvm withAgent(String args) {
    this.agent = true;
    this.agentArgs = args;
    return this;
  }

  ForkedJvm java(Path executable) {
    this.java = executable.toString();
    return this;
  }

  ForkedJvm env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Another {@code -javaagent} ahead of memtrace's on the command line (its premain runs first). */
  ForkedJvm javaagentBefore(Path jar) {
    agentsBefore.add("-javaagent:" + jar);
    return this;
  }

  /** Another {@code -javaagent} after memtrace's on the command line (its premain runs second). */
  ForkedJvm javaagentAfter(Path jar) {
    agentsAfter.add("-javaagent:" + jar);
    return this;
  }

  ForkedJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(agentsBefore);
    if (agent) {
      cmd.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
    }
    cmd.addAll(agentsAfter);
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

  ProcessBuilder processBuilder(Path dir) throws IOException {
    Files.createDirectories(dir);
    ProcessBuilder pb = new ProcessBuilder(command()).directory(dir.toFile());
    // the agent must not pick up exporters from the environment of whoever runs the tests
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_"));
    pb.environment().putIfAbsent("OTEL_TRACES_EXPORTER", "none");
    // nor post metrics to a collector that may or may not listen on localhost:4318
    pb.environment().putIfAbsent("OTEL_METRICS_EXPORTER", "none");
    // full capture: these tests count the spans of each command; RetentionIT switches retention on
    pb.environment().putIfAbsent("MEMTRACE_RETENTION_ENABLED", "false");
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs to completion (at most two minutes) and returns what it printed. */
  Result run(Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb = processBuilder(dir);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(2, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("forked JVM finished: %s", command()).isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;
    final long millis;

    Result(int exitCode, String stdout, String stderr, long millis) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.millis = millis;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** The class path of one Jedis version plus its common dependencies. */
  static String jedisClassPath(String version) throws IOException {
    List<Path> jars = new ArrayList<>();
    jars.addAll(jarsIn(LIBS.resolve("jedis-" + version)));
    jars.addAll(jarsIn(LIBS.resolve("common")));
    return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** The class path of one folder of library jars under {@link #LIBS} (see the pom's it-ai copy). */
  static String libraryClassPath(String folder) throws IOException {
    return jarsIn(LIBS.resolve(folder)).stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  static List<Path> jarsIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
  }

  /**
   * Compiles the named programs from {@code src/test/resources/programs} against {@code classPath}
   * into a fresh directory and returns the class path to run them with.
   */
  static String compile(String name, String classPath, String... sources) throws IOException {
    return compileForRelease(name, "11", classPath, sources);
  }

  /** Like {@link #compile(String, String, String...)}, for programs that need a newer language level. */
  static synchronized String compileForRelease(String name, String release, String classPath, String... sources) throws IOException {
    Path out = WORK.resolve("classes-" + name);
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-cp", classPath,
        "--release", release, "-nowarn"));
    for (String source : sources) {
      options.add(Paths.get("src/test/resources/programs", source).toAbsolutePath().toString());
    }
    int rc = javac.run(null, null, System.err, options.toArray(new String[0]));
    assertThat(rc).as("javac of %s", List.of(sources)).isZero();
    return out + File.pathSeparator + classPath;
  }

  static String read(Path file) throws IOException {
    return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
  }
}
