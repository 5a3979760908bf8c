package io.memtrace.collector.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesCommandTest {

  static final String FAILED = "00000000000000000000000000000bad";

  @TempDir
  static Path dir;

  @BeforeAll
  static void fill() throws Exception {
    Span failed = SpanFixtures.span(FAILED, null, "aqe.memory.retrieve", 1000, 8)
        .addAttributes(SpanFixtures.attr("memory.operation", "retrieve"))
        .addAttributes(SpanFixtures.attr("memory.key", "test-plan-invalid"))
        .addAttributes(SpanFixtures.attr("memory.namespace", "aqe/test-plans"))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("connection reset"))
        .build();
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.seedTrace());
      TestStores.write(store, SpanFixtures.request("other-service", List.of(failed)));
    }
  }

  @Test
  void shouldDrawTheSeedTimeline() {
    Cli result = Cli.run("traces", "--data", dir.toString(), "--trace", SpanFixtures.SEED_TRACE);
    assertThat(result.exitCode).as("%s", result).isZero();
    String out = result.out;
    assertThat(out).contains("│ Trace: aqe.task.generate · aqe-fleet · " + SpanFixtures.SEED_TRACE);
    assertThat(out).containsPattern("│ 00:00\\.000 aqe\\.task\\.generate \\[qe-test-generator\\] +20ms  │");
    assertThat(out).containsPattern("│   00:00\\.005 aqe\\.memory\\.store \\[test-plan-user-service\\] +12ms  │");
    assertThat(out).containsPattern("│     └─ namespace: aqe/test-plans, size: 387 bytes +│");
    assertThat(out).contains("│   00:00.055 aqe.memory.retrieve [test-plan-user-service]");
    assertThat(out).contains("└─ namespace: aqe/test-plans, found: true, size: 387 bytes");
    assertThat(out).contains("00:00.255 aqe.memory.search [test-plan-%]");
    assertThat(out).contains("└─ namespace: aqe/test-plans, pattern: test-plan-%, results: 5");
    assertThat(out).contains("│   00:00.405 aqe.memory.delete [test-plan-user-service]");
    assertThat(out).contains("Memory Operations: 5 (2 store, 1 retrieve, 1 search, 1 delete)");
    assertThat(out).contains("Data Transferred: 2.0KB");
    assertThat(out).doesNotContain("\u001b[").doesNotContain("✗");
    assertThat(out.lines().filter(l -> l.startsWith("│")).map(String::length).distinct()).as("box edges line up").hasSize(1);
  }

  @Test
  void shouldMarkErrorsAndColourOnlyWhenAsked() {
    Cli plain = Cli.run("traces", "--data", dir.toString(), "--trace", FAILED);
    assertThat(plain.out).contains("aqe.memory.retrieve [test-plan-invalid] ✗")
        .contains("ERROR connection reset").contains("Errors: 1").doesNotContain("\u001b[");
    Cli coloured = Cli.run("traces", "--data", dir.toString(), "--trace", FAILED, "--color", "always");
    assertThat(coloured.out).contains("\u001b[31m");
  }

  @Test
  void shouldPickTheLastTracesOfAService() {
    Cli last = Cli.run("traces", "--data", dir.toString(), "--last", "1");
    assertThat(last.out).contains(FAILED).doesNotContain(SpanFixtures.SEED_TRACE);
    Cli service = Cli.run("traces", "--data", dir.toString(), "--service", "aqe-fleet");
    assertThat(service.out).contains(SpanFixtures.SEED_TRACE).doesNotContain(FAILED);
    Cli missing = Cli.run("traces", "--data", dir.toString(), "--trace", "ffff");
    assertThat(missing.exitCode).isEqualTo(1);
    assertThat(missing.err).contains("no trace ffff");
  }
}
