package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code attach} says when it cannot: the JDK's own reason, not the wrapper Byte Buddy throws around it. */
class AttachCommandTest {

  @Test
  void shouldGiveTheInnermostReason() {
    Exception wrapped = new IllegalStateException("Error during attachment using: Compound@1a2b",
        new RuntimeException(new IOException("No such process")));
    assertThat(AttachCommand.reason(wrapped)).isEqualTo("IOException: No such process");
    assertThat(AttachCommand.reason(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void shouldRefuseWhatIsNotAProcessId() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = AttachCommand.run(new String[] {"attach", "12x"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'12x' is not a process id");
  }
}
