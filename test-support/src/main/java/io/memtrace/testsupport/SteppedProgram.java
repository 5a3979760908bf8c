package io.memtrace.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a forked program that stops at named steps ({@code AWAIT -> step} on its output, then a line on its input to
 * go on), doing to its servers what each step asks for (a resharding, a failover) while it waits: the test decides
 * when the topology changes under the program, not a timer, and the program meets the change between two of its
 * commands, as an application meets it between two requests.
 */
public final class SteppedProgram {

  /** What the test does at one step. */
  public interface Step {
    void run(String step) throws Exception;
  }

  /** The CPU a step, or the program's end after its last step, may take ({@link Progress}). */
  public static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  private SteppedProgram() {
  }

  /** Starts {@code jvm} in {@code dir}, does {@code step} at each of {@code steps} in turn; the program's result. */
  public static ForkedJvm.Result drive(ForkedJvm jvm, Path dir, List<String> steps, Step step) throws Exception {
    try (ForkedJvm.Running running = jvm.start(dir)) {
      for (String name : steps) {
        step(running, name, step);
      }
      return awaitEnd(running, STEP_TIMEOUT);
    }
  }

  /** Waits for {@code running} to stop at {@code name}, does {@code step} and lets it go on. */
  public static void step(ForkedJvm.Running running, String name, Step step) throws Exception {
    awaitOutput(running, "AWAIT -> " + name, STEP_TIMEOUT);
    step.run(name);
    OutputStream control = running.process.getOutputStream();
    control.write("go\n".getBytes(StandardCharsets.UTF_8));
    control.flush();
  }

  /**
   * Waits until {@code running} has printed {@code line}; fails if it ends first, or if it stops making progress or
   * uses more than {@code timeout} of CPU on the way ({@link Progress}).
   */
  public static void awaitOutput(ForkedJvm.Running running, String line, Duration timeout) throws Exception {
    String why = progress(running, timeout).await(millis -> {
      ForkedJvm.Result now = result(running);
      if (now.stdout.contains(line)) {
        return true;
      }
      if (!running.process.isAlive()) {
        throw new AssertionError("the program ended before '" + line + "': " + now);
      }
      Thread.sleep(Math.min(millis, 20));
      return false;
    });
    if (why != null) {
      throw new AssertionError("no '" + line + "': the program " + why + ": " + running.result());
    }
  }

  /**
   * Waits for {@code running} to end; what it printed then, or an error if it stops making progress or uses more than
   * {@code timeout} of CPU first.
   */
  public static ForkedJvm.Result awaitEnd(ForkedJvm.Running running, Duration timeout)
      throws IOException, InterruptedException {
    String why = progress(running, timeout).await(millis -> running.process.waitFor(millis, TimeUnit.MILLISECONDS));
    if (why != null) {
      throw new AssertionError("the program did not end: it " + why + ": " + running.result());
    }
    return running.result();
  }

  private static Progress progress(ForkedJvm.Running running, Duration timeout) {
    return new Progress(running.process.toHandle(), timeout, Progress.STALL_WINDOW);
  }

  private static ForkedJvm.Result result(ForkedJvm.Running running) {
    try {
      return running.result();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
