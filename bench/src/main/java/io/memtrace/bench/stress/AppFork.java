package io.memtrace.bench.stress;

import io.memtrace.bench.overhead.AgentSummary;
import io.memtrace.bench.stress.app.EpochHandshake;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the stress application ({@code io.memtrace.bench.stress.app.StressApp}) in a JVM of its
 * own, under the agent or without one. Its stdout is read as it comes, so the harness knows when
 * measurement began ({@code STRESS-START <epoch ms>}) and can time faults from there.
 */
final class AppFork {

  static final String MAIN = "io.memtrace.bench.stress.app.StressApp";
  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+|NaN|-?Infinity)");

  final String name;
  final boolean agent;
  private final Process process;
  private final Path dir;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean isReady;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile long t0;
  private final Map<Integer, Long> levels = new LinkedHashMap<>();
  private final Map<String, Double> result = new LinkedHashMap<>();
  private final Thread reader;

  private AppFork(String name, boolean agent, Process process, Path dir) {
    this.name = name;
    this.agent = agent;
    this.process = process;
    this.dir = dir;
    this.reader = new Thread(this::read, "stress-fork-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the application. With {@code agent}, it runs under the memtrace agent with the demo's
   * rules and {@code env} (OTEL_* and MEMTRACE_* of the harness's own environment are cleared).
   */
  static AppFork start(Layout layout, String name, boolean agent, List<String> jvmOptions, Map<String, String> env,
      List<String> args, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (agent) {
      command.add("-javaagent:" + layout.agentJar() + "=config=" + layout.demoConfig());
    }
    command.addAll(List.of("-cp", layout.appClassPath(), MAIN));
    command.addAll(args);
    command.addAll(List.of("--samples", samples(dir, name).toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log(dir, name).toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    if (agent) {
      builder.environment().putAll(env);
    }
    Files.writeString(dir.resolve(name + ".command"), String.join(" ", command) + "\n" + (agent ? env : "") + "\n");
    return new AppFork(name, agent, builder.start(), dir);
  }

  private static Path samples(Path dir, String name) {
    return dir.resolve(name + "-samples.jsonl");
  }

  private static Path log(Path dir, String name) {
    return dir.resolve(name + ".log");
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         var out = Files.newBufferedWriter(dir.resolve(name + ".out"), StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        out.write(line);
        out.newLine();
        out.flush();
        if (line.equals(EpochHandshake.READY)) {
          isReady = true;
          ready.countDown();
        } else if (line.startsWith("STRESS-START ")) {
          t0 = Long.parseLong(line.substring(13).trim());
          started.countDown();
        } else if (line.startsWith("STRESS-LEVEL ")) {
          String[] f = line.split(" ");
          synchronized (levels) {
            levels.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
          }
        } else if (line.startsWith("RESULT ")) {
          Matcher m = NUMBER.matcher(line);
          synchronized (result) {
            while (m.find()) {
              result.put(m.group(1), Double.parseDouble(m.group(2)));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended; finish() reports what it lacked
    } finally {
      ready.countDown();
      started.countDown();
    }
  }

  /**
   * Waits until the application's workers run ({@link EpochHandshake#READY}); {@link EpochHandshake#GUARD_SECONDS}
   * is a hang guard. An error when the application ended first.
   */
  void awaitReady() throws IOException, InterruptedException {
    if (!ready.await(EpochHandshake.GUARD_SECONDS, TimeUnit.SECONDS) || !isReady) {
      process.destroyForcibly();
      throw new IOException(name + ": the application was not ready within " + EpochHandshake.GUARD_SECONDS
          + " s or ended first; see " + log(dir, name) + "\n" + tail(log(dir, name)));
    }
  }

  /** Tells the application, ready, when its turns begin (epoch ms). */
  void sendEpoch(long epochMillis) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((EpochHandshake.epochLine(epochMillis) + "\n").getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }

  /** Waits until measurement began and returns its start (epoch ms); an error when the app failed first. */
  long awaitStart(long timeoutSeconds) throws IOException, InterruptedException {
    if (!started.await(timeoutSeconds, TimeUnit.SECONDS) || t0 == 0) {
      process.destroyForcibly();
      throw new IOException(name + ": the application did not start measuring within " + timeoutSeconds + " s; see "
          + log(dir, name) + "\n" + tail(log(dir, name)));
    }
    return t0;
  }

  /** When measurement began (epoch ms), once {@link #awaitStart} returned; else 0. */
  long t0() {
    return t0;
  }

  /** Waits for the application to end and collects what it measured. */
  AppRun finish(long timeoutSeconds) throws IOException, InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(name + ": the application ran past " + timeoutSeconds + " s; see " + log(dir, name));
    }
    reader.join(10_000);
    String log = Files.readString(log(dir, name), StandardCharsets.UTF_8);
    Map<Integer, Long> levelStarts;
    synchronized (levels) {
      levelStarts = new LinkedHashMap<>(levels);
    }
    Map<String, Double> values;
    synchronized (result) {
      values = new LinkedHashMap<>(result);
    }
    return new AppRun(name, agent, process.exitValue(), t0, values, Sample.read(samples(dir, name)),
        AgentSummary.parse(log), levelStarts, log.contains("OutOfMemoryError"), log(dir, name));
  }

  /**
   * Has the JVM run a full collection now ({@code jcmd PID GC.run}), as an operator checking for a
   * leak would, so that the next samples' heap-after-GC is the live heap. Returns when it was done, epoch ms.
   */
  long fullGc() throws IOException, InterruptedException {
    Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd GC.run on " + name + " did not answer within 30 s");
    }
    return System.currentTimeMillis();
  }

  void kill() {
    process.destroyForcibly();
  }

  static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }
}
