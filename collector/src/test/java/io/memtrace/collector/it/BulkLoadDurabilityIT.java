package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged means durable through the writer's bulk loads too (a backlog loaded straight into span_store in one
 * transaction): serve is killed with SIGKILL 20 times while requests arrive and load, each restart loading what the
 * last left in the ingest log (itself in bulk), and every acknowledged span is there once. Bulk loads of 2,048 spans
 * here, not a row group, so that each round has several to interrupt.
 */
class BulkLoadDurabilityIT {

  static final int KILLS = 20;
  static final int BATCHES = 16;
  static final List<String> BULK = List.of("-Dmemtrace.store.bulk-rows=2048");

  @Test
  void shouldKeepEveryAcknowledgedSpanThroughTwentyKillsDuringBulkLoads() throws Exception {
    Path data = BuildPaths.IT_WORK.resolve("bulk-durability-" + System.nanoTime()).resolve("data");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Random random = new Random(73);
    for (int round = 0; round < KILLS; round++) {
      try (CollectorProcess serve = CollectorProcess.serve(BULK, data)) {
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = DurabilityIT.send(senders, serve, DurabilityIT.traces(0xb0000L + round * 1000L, BATCHES),
            acknowledged);
        // killed while requests are still arriving, or while the backlog they left loads
        Thread.sleep(200 + random.nextInt(1500));
        serve.kill();
        senders.shutdown();
        for (Future<?> f : sent) {
          try {
            f.get();
          } catch (Exception refusedOrCut) {
            // a request the kill cut short was never acknowledged
          }
        }
      }
    }
    assertThat(acknowledged).as("some requests were acknowledged before the kills").isNotEmpty();
    try (CollectorProcess restarted = CollectorProcess.serve(BULK, data)) {
      ForkedJvm.Result query = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
          "SELECT trace_id, count(*) AS spans, count(DISTINCT span_id) AS distinct_spans FROM spans "
              + "GROUP BY trace_id ORDER BY trace_id");
      List<String> stored = query.stdout.lines().skip(1).toList();
      for (String trace : acknowledged) {
        assertThat(stored).as("%s: every span of an acknowledged request, once", query)
            .contains(trace + "," + DurabilityIT.SPANS_PER_BATCH + "," + DurabilityIT.SPANS_PER_BATCH);
      }
      assertThat(stored).as("no request stored in part or twice").allMatch(line -> line.endsWith(
          "," + DurabilityIT.SPANS_PER_BATCH + "," + DurabilityIT.SPANS_PER_BATCH));
      assertThat(restarted.stop()).as("the JVM status after SIGTERM").isEqualTo(143);
    }
  }
}
