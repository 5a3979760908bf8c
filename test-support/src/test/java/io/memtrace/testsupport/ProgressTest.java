package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class ProgressTest {

  /**
   * A benchmark's {@code main} waits on the serve it started ({@link ServeLauncher#await}) with no JUnit on its class
   * path: reading a process's CPU must not load test-support's JUnit listener ({@link TestCpuLog}).
   */
  @Test
  void shouldWaitWhereJUnitIsNotOnTheClassPath() throws Exception {
    String testSupport = Paths.get(Progress.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    String classPath = TestPrograms.compile("progress", testSupport, "ProgressProgram.java");

    ForkedJvm.Result run = ForkedJvm.program(classPath, "ProgressProgram").run(BuildPaths.IT_WORK.resolve("progress"));

    assertThat(run.exitCode).as("%s", run).isZero();
    assertThat(run.stdout).isEqualTo("waited\n");
  }
}
