package io.memtrace.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.NamespaceRule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipeline and transaction spans as the OpenTelemetry Redis conventions name them. */
class BatchSummaryTest {

  private final KeyPolicy keys = new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern());
  private final RedisCommandInfo info = RedisCommandInfo.reusable();
  private final BatchSummary summary = new BatchSummary();

  private void add(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String word : words) {
      args.add(word.getBytes(StandardCharsets.UTF_8));
    }
    summary.add(info.parse(args), keys);
  }

  @Test
  void shouldNamePipelineOfOneCommandAfterIt() {
    summary.reset(false);
    add("SET", "a", "1");
    add("SET", "b", "2");

    assertThat(summary.name()).isEqualTo("PIPELINE SET");
    assertThat(summary.size()).isEqualTo(2);
    assertThat(summary.hasBatchSize()).isTrue();
    assertThat(summary.queryText()).isEqualTo("SET a ?; SET b ?");
  }

  @Test
  void shouldNameMixedPipelinePlainly() {
    summary.reset(false);
    add("SET", "a", "1");
    add("GET", "a");

    assertThat(summary.name()).isEqualTo("PIPELINE");
  }

  @Test
  void shouldNameTransactionAfterItsCommandsWithoutCountingMultiAndExec() {
    summary.reset(true);
    add("MULTI");
    add("INCR", "a");
    add("INCR", "b");
    add("EXEC");

    assertThat(summary.name()).isEqualTo("MULTI INCR");
    assertThat(summary.size()).isEqualTo(2);
    assertThat(summary.queryText()).isEqualTo("INCR a; INCR b");
  }

  @Test
  void shouldRecogniseTransactionSyncedInAPipelineByItsMulti() {
    summary.reset(false);
    add("MULTI");
    add("SET", "a", "1");
    add("GET", "a");
    add("EXEC");

    assertThat(summary.name()).isEqualTo("MULTI");
  }

  @Test
  void shouldLeaveTheBatchSizeOutForOneCommandButGiveZeroForAnEmptyTransaction() {
    summary.reset(false);
    add("GET", "a");
    assertThat(summary.name()).isEqualTo("PIPELINE GET");
    assertThat(summary.hasBatchSize()).isFalse();

    summary.reset(true);
    add("MULTI");
    add("EXEC");
    assertThat(summary.name()).isEqualTo("MULTI");
    assertThat(summary.hasBatchSize()).isTrue();
    assertThat(summary.size()).isZero();
    assertThat(summary.queryText()).isNull();
  }

  @Test
  void shouldCountCommandsNotRecordedAndNotClaimTheyAreAllTheSame() {
    summary.reset(true);
    add("MULTI");
    for (int i = 0; i < 15; i++) {
      add("SET", "k" + i, "v");
    }
    summary.notRecorded(6); // five more SETs and the EXEC

    assertThat(summary.size()).isEqualTo(20);
    assertThat(summary.name()).as("the ones not recorded are not known").isEqualTo("MULTI");
    assertThat(summary.queryText()).startsWith("SET k0 ?; SET k1 ?").endsWith("SET k14 ?; ...");
  }

  @Test
  void shouldShowSixteenCommandsAndMarkTheRest() {
    summary.reset(false);
    for (int i = 0; i < 18; i++) {
      add("GET", "k" + i);
    }

    assertThat(summary.name()).isEqualTo("PIPELINE GET");
    assertThat(summary.queryText().split("; ")).hasSize(17).endsWith("GET k15", "...");
  }
}
