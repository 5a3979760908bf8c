package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThat(cli.err).contains("--memory 10MiB is below 256MiB");
    assertThat(dir.resolve("memtrace.duckdb")).doesNotExist();
  }

  @Test
  void shouldTakeTheBudgetFromTheEnvironmentWhenTheOptionIsNotGiven() {
    assertThat(ServeLimits.budget(null, "512MiB")).isEqualTo(512L << 20);
    assertThat(ServeLimits.budget("300MiB", "512MiB")).isEqualTo(300L << 20);
    assertThat(ServeLimits.budget(null, null)).isEqualTo(io.memtrace.collector.store.MemoryLimit.defaultBudget());
    assertThatThrownBy(() -> ServeLimits.budget(null, "10MiB")).hasMessageContaining("MEMTRACE_MEMORY 10MiB is below 256MiB");
    assertThatThrownBy(() -> ServeLimits.budget(null, "lots")).hasMessageContaining("MEMTRACE_MEMORY 'lots' is not a size");
  }

  @Test
  void shouldRefuseTimeoutsThatAreNotPositive() {
    Cli cli = Cli.run("serve", "--data", dir.toString(), "--port", "0", "--header-timeout", "0s");

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("--header-timeout").contains("must be positive");
  }
}
