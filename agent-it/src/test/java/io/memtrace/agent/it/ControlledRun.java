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
 * A forked program that stops at each {@code AWAIT step} line it prints, until the test has done that step to its
 * servers (a resharding, a failover) and sent it a line on its standard input: the test decides when the topology
 * changes under the program, not a timer.
 */
final class ControlledRun {

  /** What the test does to the servers at one step. */
  interface Step {
    void run(String step) throws Exception;
  }

  private ControlledRun() {
  }

  /** Runs {@code jvm} in {@code dir}, doing {@code steps} in order as it asks for them; its result once it ended. */
  static ForkedJvm.Result drive(ForkedJvm jvm, Path dir, List<String> steps, Step step) throws Exception {
    try (ForkedJvm.Running running = jvm.start(dir)) {
      Writer control = new OutputStreamWriter(running.process.getOutputStream(), StandardCharsets.UTF_8);
      for (String each : steps) {
        awaitOutput(running, "AWAIT -> " + each);
        step.run(each);
        control.write("go\n");
        control.flush();
      }
      if (!running.process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the program did not end: " + running.result());
      }
      return running.result();
    }
  }

  private static void awaitOutput(ForkedJvm.Running running, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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
