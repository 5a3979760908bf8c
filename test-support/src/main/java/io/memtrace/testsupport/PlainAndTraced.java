package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.assertj.core.api.AbstractStringAssert;

/**
 * One program run twice: without the agent in {@code dir/plain}, then with it in {@code dir/traced}, every span
 * exported to {@code dir/spans.jsonl}. What the traced run prints is what the plain one printed: the agent changes
 * nothing the application sees, and its spans are what it saw.
 */
public final class PlainAndTraced {

  /** The run without the agent. */
  public final ForkedJvm.Result plain;
  /** The run with the agent, every span exported. */
  public final ForkedJvm.Result traced;
  private final Path spansFile;

  private PlainAndTraced(ForkedJvm.Result plain, ForkedJvm.Result traced, Path spansFile) {
    this.plain = plain;
    this.traced = traced;
    this.spansFile = spansFile;
  }

  /**
   * Runs the program {@code program} gives for the run named {@code plain}, then the one it gives for {@code traced};
   * nothing runs between them, so the second finds what the first left.
   */
  public static PlainAndTraced run(Path dir, Function<String, ForkedJvm> program)
      throws IOException, InterruptedException {
    return run(dir, () -> { }, program);
  }

  /** The same, {@code reset} before each run (emptying Redis, say, so that both start from the same state). */
  public static PlainAndTraced run(Path dir, Runnable reset, Function<String, ForkedJvm> program)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path spansFile = dir.resolve("spans.jsonl");
    Files.deleteIfExists(spansFile);
    reset.run();
    ForkedJvm.Result plain = program.apply("plain").run(dir.resolve("plain"));
    reset.run();
    ForkedJvm.Result traced = program.apply("traced").withAgent().everySpan()
        .tracesTo(spansFile).run(dir.resolve("traced"));
    return new PlainAndTraced(plain, traced, spansFile);
  }

  /** Both runs ended with 0 and the traced one printed what the plain one did; its output, for more checks. */
  public AbstractStringAssert<?> assertSameOutput(String description) {
    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(traced.exitCode).as("%s", traced).isZero();
    return assertThat(traced.stdout).as(description).isEqualTo(plain.stdout);
  }

  /** The agent dropped no event and logged no warning or error of its own. */
  public AbstractStringAssert<?> assertAgentQuiet() {
    return assertThat(traced.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN")
        .doesNotContain("[memtrace] ERROR");
  }

  /** The file of the spans the traced run exported (OTLP-JSON lines, as {@code import} loads them). */
  public Path spansFile() {
    return spansFile;
  }

  /** The spans the traced run exported. */
  public ExportedSpans spans() throws IOException {
    return ExportedSpans.read(spansFile);
  }
}
