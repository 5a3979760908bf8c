package io.memtrace.collector.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.MemoryWorkload;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import io.memtrace.collector.store.SpanRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code --timeseries} key statistics count memory keys the same under either naming convention. */
class KeyUsageTrackerTest {

  @Test
  void shouldCountTheSameKeysWhicheverNamesTheMemorySpansCarry() throws Exception {
    Map<String, Object> seed = interval(Conventions.SEED);
    assertThat(seed.get("top_keys").toString()).startsWith("[{key=conv-1, namespace=ChatMemory, accesses=5}");
    assertThat(seed.get("namespaces").toString()).contains(
        "ChatMemory={operations=12, new_keys=6, bytes_written=4312, written_never_read_keys=2, keys_without_ttl=1}",
        "aqe/test-plans={operations=3, new_keys=1, bytes_written=387, written_never_read_keys=0, keys_without_ttl=0}");
    assertThat(interval(Conventions.BOTH)).as("a span with both names counts once").isEqualTo(seed);
    assertThat(interval(Conventions.GENAI)).isEqualTo(seed);
  }

  private static Map<String, Object> interval(Conventions c) throws Exception {
    KeyUsageTracker tracker = new KeyUsageTracker();
    List<SpanRow> spans = new ArrayList<>(TraceMapper.map(c.shape(SpanFixtures.seedTrace())));
    spans.addAll(TraceMapper.map(c.shape(MemoryWorkload.chat())));
    tracker.committed(spans);
    Map<String, Object> line = new LinkedHashMap<>(tracker.roll(60_000).line());
    line.remove("time");
    return line;
  }
}
