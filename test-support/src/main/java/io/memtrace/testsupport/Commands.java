package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external program a test runs to completion (npm, node, go, promtool, docker-compose): its output and
 * error streams as one log, as a terminal would show them. Java programs are {@link ForkedJvm}'s.
 */
public final class Commands {

  private Commands() {
  }

  /**
   * Runs {@code command} in {@code dir}; fails (and kills it) when it outlives {@code timeout}, or when it
   * cannot be started.
   */
  public static Result run(Path dir, Duration timeout, List<String> command) {
    return run(dir, timeout, Map.of(), command);
  }

  /** As {@link #run(Path, Duration, List)}, with {@code env} added to this JVM's environment. */
  public static Result run(Path dir, Duration timeout, Map<String, String> env, List<String> command) {
    try {
      Path log = Files.createTempFile("command-", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          // a script's servers too, or they would outlive the test holding their ports
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n"
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** How a command ended, and what it printed. */
  public static final class Result {
    public final int exit;
    public final String output;

    Result(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n" + output;
    }
  }
}
