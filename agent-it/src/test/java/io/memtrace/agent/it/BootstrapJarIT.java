package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.SteppedProgram;
import io.memtrace.testsupport.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bridge jar the agent puts on the boot class path is one file per agent build in the user's cache: JVMs killed
 * with SIGKILL (no shutdown hooks, no delete-on-exit) leave nothing in the temporary directory, and each start reuses
 * the one file.
 */
class BootstrapJarIT {

  @Test
  void shouldLeaveNothingBehindWhenItsJvmsAreKilled() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("bootstrap-jar-" + System.nanoTime());
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path cache = dir.resolve("cache");
    String classPath = TestPrograms.compile("idle", "", "IdleProgram.java");
    List<Long> modified = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ForkedJvm jvm = ForkedJvm.program(classPath, "IdleProgram").withAgent()
          .jvmArg("-Djava.io.tmpdir=" + tmp).env("MEMTRACE_CACHE_DIR", cache.toString())
          .timeout(Duration.ofMinutes(5));
      try (ForkedJvm.Running running = jvm.start(dir.resolve("run-" + i))) {
        SteppedProgram.awaitOutput(running, "ready", Duration.ofMinutes(3));
        running.process.destroyForcibly(); // SIGKILL
        assertThat(running.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // the agent ran: its bridge jar is in the cache (below); it said nothing wrong before the kill
        assertThat(running.result().stderr).doesNotContain("ERROR");
      }
      List<Path> jars = list(cache.resolve("bootstrap"));
      assertThat(jars).as("one bridge jar for this build").hasSize(1);
      modified.add(Files.getLastModifiedTime(jars.get(0)).toMillis());
      Thread.sleep(20);
    }
    assertThat(list(tmp)).as("the temporary directory after three JVMs were killed").isEmpty();
    assertThat(modified.get(2)).as("each start marks the file in use").isGreaterThan(modified.get(0));
  }

  private static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.collect(java.util.stream.Collectors.toList());
    }
  }
}
