package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The samples line and the RESULT line, exactly as the harness reads them. */
class SampleTest {

  /** The harness's own pattern (overhead.Forks) for a {@code "name":number} pair. */
  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+|NaN|-?Infinity)");
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void shouldWriteEveryFieldInTheContractsOrder() throws Exception {
    Sample sample = new Sample(1_700_000_000_123L, 5400, 2, 1, 61.44, 250.0, 1203.7, 4000.25, 123.456, -1, 31, 48,
        12, 2500, 3, new AgentReadings(100, 80, 10, 10, 1, 1024, 1000, 42, 7));

    String line = sample.json();

    assertThat(line).doesNotContain("\n").doesNotContain(" ");
    assertThat(names(line)).containsExactly("t", "ops", "errors", "verify_failures", "p50_us", "p99_us", "p999_us",
        "max_us", "heap_used_mb", "heap_after_gc_mb", "threads", "fds", "sockets", "process_cpu_ms", "level",
        "produced", "exported", "compressed", "dropped", "export_failures", "ring_size", "ring_used_max",
        "agent_cpu_ms", "agent_threads");
    JsonNode node = json.readTree(line);
    assertThat(node.get("t").asLong()).isEqualTo(1_700_000_000_123L);
    assertThat(node.get("p50_us").asDouble()).isEqualTo(61.4);
    assertThat(node.get("heap_used_mb").asDouble()).isEqualTo(123.5);
    assertThat(node.get("heap_after_gc_mb").asDouble()).isEqualTo(-1);
    assertThat(node.get("ring_used_max").asLong()).isEqualTo(1000);
  }

  @Test
  void shouldWriteMinusOneForEveryAgentFieldWithoutAnAgent() throws Exception {
    Sample sample = new Sample(1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, AgentReadings.NONE);

    JsonNode node = json.readTree(sample.json());

    for (String field : List.of("produced", "exported", "compressed", "dropped", "export_failures", "ring_size",
        "ring_used_max", "agent_cpu_ms", "agent_threads")) {
      assertThat(node.get(field).asLong()).as(field).isEqualTo(-1);
    }
  }

  @Test
  void shouldUseADotForDecimalsWhateverTheDefaultLocale() throws Exception {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      assertThat(new JsonLine().add("p50_us", 1.25, 2).add("nan", Double.NaN).toString())
          .isEqualTo("{\"p50_us\":1.25,\"nan\":-1}");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void shouldPutTalliesAndFleetLevelsOnOneResultLine() throws Exception {
    Measured total = new Measured();
    for (int i = 1; i <= 1000; i++) {
      total.latencies.recordValue(i * 1_000L);
    }
    total.seconds = 2;
    total.errors = 3;
    Measured level = total.copy();
    StressCounters counters = new StressCounters();
    counters.storeOps.add(7);
    counters.storedValueBytes.add(70_000);

    String line = StressResult.line(total, false, 50.25, counters, List.of(new StressResult.Level(5, level)));

    assertThat(line).startsWith("RESULT {").doesNotContain("\n");
    JsonNode node = json.readTree(line.substring("RESULT ".length()));
    assertThat(names(line)).startsWith("ops", "errors", "verify_failures", "seconds", "p50_us", "p99_us", "p999_us",
        "oom", "heap_after_gc_end_mb", "store_ops", "stored_value_bytes_sum", "search_ops", "search_results_sum",
        "leak_keys", "growth_keys", "large_values", "ops_outside_turns");
    assertThat(node.get("ops").asLong()).isEqualTo(1000);
    assertThat(node.get("errors").asLong()).isEqualTo(3);
    assertThat(node.get("p50_us").asDouble()).isBetween(499.0, 501.0);
    assertThat(node.get("oom").asInt()).isZero();
    assertThat(node.get("stored_value_bytes_sum").asLong()).isEqualTo(70_000);
    assertThat(node.get("level_5_ops_s").asDouble()).isEqualTo(500);
    assertThat(node.get("level_5_p99_us").asDouble()).isBetween(989.0, 991.0);
    assertThat(node.has("level_5_p999_us")).isTrue();
  }

  private static List<String> names(String line) {
    List<String> names = new ArrayList<>();
    Matcher m = NUMBER.matcher(line);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
