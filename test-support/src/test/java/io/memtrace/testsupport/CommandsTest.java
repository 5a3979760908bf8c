package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

  @TempDir
  Path dir;

  @Test
  void shouldRunInTheFolderAndKeepBothStreamsInOneLog() {
    Commands.Result result = Commands.run(dir, Duration.ofSeconds(30),
        List.of("sh", "-c", "pwd; echo oops >&2; exit 4"));

    assertThat(result.exit).isEqualTo(4);
    assertThat(result.output).isEqualTo(dir.toAbsolutePath() + "\noops\n");
  }

  @Test
  void shouldFailACommandThatOutlivesItsTimeout() {
    assertThatThrownBy(() -> Commands.run(dir, Duration.ofMillis(300), List.of("sh", "-c", "echo started; sleep 30")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish in PT0.3S").hasMessageContaining("started");
  }

  @Test
  void shouldFailACommandThatCannotStart() {
    assertThatThrownBy(() -> Commands.run(dir, Duration.ofSeconds(5), List.of("no-such-program-here")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("cannot run no-such-program-here");
  }
}
