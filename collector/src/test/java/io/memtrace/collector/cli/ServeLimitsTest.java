package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits of {@code serve} are checked before anything starts. */
class ServeLimitsTest {

  @TempDir
  Path dir;

  @Test
  void shouldRefuseAMemoryLimitTooSmallToCompact() {
    Cli cli = Cli.run("serve", "--data", dir.toString(), "--port", "0", "--memory", "10MiB");

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("--memory 10MiB is below 64MiB");
    assertThat(dir.resolve("memtrace.duckdb")).doesNotExist();
  }

  @Test
  void shouldRefuseTimeoutsThatAreNotPositive() {
    Cli cli = Cli.run("serve", "--data", dir.toString(), "--port", "0", "--header-timeout", "0s");

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("--header-timeout").contains("must be positive");
  }
}
