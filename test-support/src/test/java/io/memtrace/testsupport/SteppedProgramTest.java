package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SteppedProgramTest {

  private static final Path DIR = BuildPaths.IT_WORK.resolve("stepped");

  private static String classPath;

  @BeforeAll
  static void compile() throws Exception {
    classPath = TestPrograms.compile("stepped", System.getProperty("java.class.path"), "StepsProgram.java",
        "EchoProgram.java");
  }

  @Test
  void shouldDoEachStepBeforeTheProgramGoesOn() throws Exception {
    Path done = DIR.resolve("done.txt");
    Files.createDirectories(DIR);
    Files.writeString(done, "nothing");

    ForkedJvm.Result result = SteppedProgram.drive(ForkedJvm.program(classPath, "StepsProgram", done.toString(),
        "reshard", "failover"), DIR.resolve("run"), List.of("reshard", "failover"),
        step -> Files.writeString(done, "the test's " + step));

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout.lines()).containsExactly("AWAIT -> reshard", "reshard saw the test's reshard",
        "AWAIT -> failover", "failover saw the test's failover");
  }

  @Test
  void shouldFailWhenTheProgramEndsBeforeAStep() {
    assertThatThrownBy(() -> SteppedProgram.drive(ForkedJvm.program(classPath, "EchoProgram", "0"),
        DIR.resolve("ended"), List.of("reshard"), step -> { }))
        .isInstanceOf(AssertionError.class).hasMessageStartingWith("the program ended before 'AWAIT -> reshard'");
  }
}
