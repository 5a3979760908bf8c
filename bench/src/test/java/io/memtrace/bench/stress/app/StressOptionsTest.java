package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line the harness passes, and every way it can be wrong. */
class StressOptionsTest {

  private static final String[] BASE = {"--redis", "127.0.0.1:6390", "--samples", "/tmp/s.jsonl"};

  @Test
  void shouldReadEveryFlag() throws Exception {
    StressOptions o = StressOptions.parse("--redis", "localhost:7000", "--workload", "growth", "--threads", "3",
        "--seconds", "30", "--warmup", "4", "--samples", "out/s.jsonl", "--ballast-percent", "62.5",
        "--value-bytes", "2048", "--rate", "500", "--leak-rate", "7", "--growth-base", "11", "--growth-factor", "9",
        "--growth-jump-seconds", "6", "--burst-ms", "50", "--pause-ms", "150", "--seed", "42");

    assertThat(o.redisHost()).isEqualTo("localhost");
    assertThat(o.redisPort()).isEqualTo(7000);
    assertThat(o.workload()).isEqualTo(StressWorkload.GROWTH);
    assertThat(o.threads()).containsExactly(3);
    assertThat(o.seconds()).isEqualTo(30);
    assertThat(o.warmup()).isEqualTo(4);
    assertThat(o.samples()).isEqualTo(Path.of("out/s.jsonl"));
    assertThat(o.ballastPercent()).isEqualTo(62.5);
    assertThat(o.valueBytes()).isEqualTo(2048);
    assertThat(o.rate()).isEqualTo(500);
    assertThat(o.leakRate()).isEqualTo(7);
    assertThat(o.growthBase()).isEqualTo(11);
    assertThat(o.growthFactor()).isEqualTo(9);
    assertThat(o.growthJumpSeconds()).isEqualTo(6);
    assertThat(o.burstMillis()).isEqualTo(50);
    assertThat(o.pauseMillis()).isEqualTo(150);
    assertThat(o.seed()).isEqualTo(42);
  }

  @Test
  void shouldDefaultEachWorkloadsKnobs() throws Exception {
    StressOptions mixed = parse("--workload", "mixed");
    StressOptions leak = parse("--workload", "leak");
    StressOptions burst = parse("--workload", "burst");
    StressOptions fleet = parse("--workload", "fleet");

    assertThat(mixed.threads()).containsExactly(4);
    assertThat(mixed.rate()).isZero();
    assertThat(mixed.seconds()).isEqualTo(10);
    assertThat(mixed.warmup()).isEqualTo(2);
    assertThat(mixed.valueBytes()).isEqualTo(1024 * 1024 - 1024);
    assertThat(mixed.ballastPercent()).isZero();
    assertThat(leak.rate()).isEqualTo(1000);
    assertThat(leak.leakRate()).isEqualTo(50);
    assertThat(burst.threads()).containsExactly(16);
    assertThat(burst.burstMillis()).isEqualTo(200);
    assertThat(burst.pauseMillis()).isEqualTo(800);
    assertThat(fleet.threads()).containsExactly(1, 3, 5, 10, 20);
    assertThat(fleet.maxThreads()).isEqualTo(20);
  }

  @Test
  void shouldTakeAListOfLevelsForFleetOnly() throws Exception {
    assertThat(parse("--workload", "fleet", "--threads", "1,2").threads()).containsExactly(1, 2);
    assertThatThrownBy(() -> parse("--workload", "mixed", "--threads", "1,2"))
        .hasMessageContaining("--threads").hasMessageContaining("fleet only");
  }

  @Test
  void shouldNameTheFlagOfEveryError() {
    assertRefused("unknown flag --thread", "--workload", "mixed", "--thread", "4");
    assertRefused("--seconds needs a value", "--workload", "mixed", "--seconds");
    assertRefused("--seconds: not a whole number: 'ten'", "--workload", "mixed", "--seconds", "ten");
    assertRefusedWith("--seconds: 0 is outside", "--workload", "mixed", "--seconds", "0");
    assertRefusedWith("--ballast-percent: 100 is outside", "--workload", "mixed", "--ballast-percent", "100");
    assertRefused("--rate: not a number: 'fast'", "--workload", "mixed", "--rate", "fast");
    assertRefusedWith("--workload: unknown workload 'steady'", "--workload", "steady");
    assertRefused("--seed is given twice", "--workload", "mixed", "--seed", "1", "--seed", "2");
    assertThatThrownBy(() -> StressOptions.parse("--workload", "mixed", "--samples", "s"))
        .hasMessage("--redis is required");
    assertThatThrownBy(() -> StressOptions.parse("--workload", "mixed", "--redis", "127.0.0.1:1"))
        .hasMessage("--samples is required");
  }

  @Test
  void shouldTakeTurnsOnlyWithAWellFormedValueAndAWorkloadThatCan() throws Exception {
    assertThat(parse("--workload", "mixed").turns()).isNull();
    assertThat(parse("--workload", "burst", "--turns", "1700000000000,2,1").turns())
        .isEqualTo(new Turns(1_700_000_000_000L, 2, 1));
    assertThat(parse("--workload", "mixed", "--turns", "1700000000000,2,3,4").turns())
        .isEqualTo(new Turns(1_700_000_000_000L, 2, 3, 4));
    Turns ready = parse("--workload", "mixed", "--turns", "ready,2,1,4").turns();
    assertThat(ready.awaitsEpoch()).isTrue();
    assertThat(ready.from(1_700_000_000_000L)).isEqualTo(new Turns(1_700_000_000_000L, 2, 1, 4));
    assertRefused("--turns: only the mixed and burst workloads take turns, not leak",
        "--workload", "leak", "--turns", "1700000000000,2,1");
    assertRefused("--turns: expected EPOCH_MS,SECONDS,PHASE[,RUNS], got '1700000000000,2'",
        "--workload", "mixed", "--turns", "1700000000000,2");
    assertRefused("--turns: not a whole number in 'soon,2,0'", "--workload", "mixed", "--turns", "soon,2,0");
    assertRefused("--turns: a turn lasts at least 1 s, got 0", "--workload", "mixed", "--turns", "1700000000000,0,0");
    assertRefused("--turns: a phase is 0 to 1 with 2 runs, got 2",
        "--workload", "mixed", "--turns", "1700000000000,2,2");
    assertRefused("--turns: 2 to 16 runs take turns, got 1", "--workload", "mixed", "--turns", "1700000000000,2,0,1");
  }

  @Test
  void shouldRefuseARedisThatIsNotOnThisMachine() {
    assertThatThrownBy(() -> StressOptions.parse("--redis", "10.1.2.3:6379", "--workload", "mixed", "--samples", "s"))
        .hasMessageContaining("not a loopback address");
    assertThatThrownBy(() -> StressOptions.parse("--redis", "6379", "--workload", "mixed", "--samples", "s"))
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> StressOptions.parse("--redis", "127.0.0.1:70000", "--workload", "mixed", "--samples", "s"))
        .hasMessageStartingWith("--redis port: 70000 is outside");
  }

  @Test
  void shouldExitTwoWithTheMessageAndUsageForABadCommandLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code = StressApp.run(new String[] {"--workload", "mixed", "--bogus", "1"}, new PrintStream(out),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag --bogus").contains("usage: StressApp");
    assertThat(out.size()).isZero();
  }

  /** {@link #parse} refuses {@code more}, saying {@code message}. */
  private static void assertRefused(String message, String... more) {
    assertThatThrownBy(() -> parse(more)).hasMessage(message);
  }

  /** {@link #parse} refuses {@code more}, its message starting with {@code start}. */
  private static void assertRefusedWith(String start, String... more) {
    assertThatThrownBy(() -> parse(more)).hasMessageStartingWith(start);
  }

  private static StressOptions parse(String... more) throws StressOptions.UsageException {
    List<String> args = new ArrayList<>(List.of(BASE));
    args.addAll(List.of(more));
    return StressOptions.parse(args.toArray(String[]::new));
  }
}
