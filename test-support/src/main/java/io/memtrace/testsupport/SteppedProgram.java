package io.memtrace.testsupport;

import java.io.IOException;
import java.io.OutputStream;
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

  /** How long a step, or the program's end after its last step, may take. */
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

  /** Waits until {@code running} has printed {@code line}; fails if it ends first or takes longer than {@code timeout}. */
  public static void awaitOutput(ForkedJvm.Running running, String line, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      ForkedJvm.Result now = running.result();
      if (now.stdout.contains(line)) {
        return;
      }
      if (!running.process.isAlive()) {
        throw new AssertionError("the program ended before '" + line + "': " + now);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no '" + line + "' in time: " + running.result());
  }

  /** Waits for {@code running} to end; what it printed then, or an error if it is still running after {@code timeout}. */
  public static ForkedJvm.Result awaitEnd(ForkedJvm.Running running, Duration timeout)
      throws IOException, InterruptedException {
    if (!running.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the program did not end: " + running.result());
    }
    return running.result();
  }
}
