package io.memtrace.agent.it;

import io.memtrace.testsupport.ForkedJvm;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a forked program that stops at named steps ({@code AWAIT -> step} on its output, then a line on its input
 * to go on), doing to its Redis topology what each step asks for (a resharding, a failover) while it waits: the
 * program meets the change between two of its commands, as an application meets it between two requests.
 */
final class SteppedProgram {

  /** What the test does at one step. */
  interface Step {
    void run(String step) throws Exception;
  }

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  private SteppedProgram() {
  }

  /** Starts {@code jvm} in {@code dir}, does {@code step} at each of {@code steps} in turn; the program's result. */
  static ForkedJvm.Result drive(ForkedJvm jvm, Path dir, List<String> steps, Step step) throws Exception {
    try (ForkedJvm.Running running = jvm.start(dir)) {
      Writer control = new OutputStreamWriter(running.process.getOutputStream(), StandardCharsets.UTF_8);
      for (String name : steps) {
        awaitOutput(running, "AWAIT -> " + name);
        step.run(name);
        control.write("go\n");
        control.flush();
      }
      if (!running.process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("the program did not end: " + running.result());
      }
      return running.result();
    }
  }

  /** Waits until {@code running} has printed {@code line}. */
  static void awaitOutput(ForkedJvm.Running running, String line) throws Exception {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
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
}
