package io.memtrace.collector.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.keyspace.GrowthRule;
import io.memtrace.collector.keyspace.KeyspaceLatest;
import io.memtrace.collector.keyspace.KeyspaceSample;
import io.memtrace.collector.keyspace.PassSnapshot;
import io.memtrace.collector.keyspace.ServerSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same time-series line with the keyspace figures, as {@code serve --timeseries} and {@code watch --out} write it. */
class KeyspaceLinesTest {

  @TempDir
  Path dir;

  @Test
  void shouldAddEachNamespacesKeyspaceFiguresGrowthAndRapidFlags() throws Exception {
    KeyspaceLatest latest = new KeyspaceLatest(GrowthRule.defaults());
    Path file = dir.resolve("watch.jsonl");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    try (TimeseriesWriter writer = new TimeseriesWriter(file, null, latest, 60_000, false)) {
      latest.accept(pass(t0, 1, 1_000, 100_000, 1_000));
      writer.writeInterval();
      latest.accept(pass(t0.plusSeconds(120), 2, 5_000, 4_100_000, 1_000));
      writer.writeInterval();
      // Redis gone: carried over as stale, no growth from it
      latest.accept(new PassSnapshot("127.0.0.1:6379", List.of(), new ServerSample(t0.plusSeconds(180),
          "127.0.0.1:6379", null, null, null, null, null, null, null, null, null, 3, 0.1, 1, false, true,
          "Connection refused")));
      writer.writeInterval();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).as("one line per call, none more at close").hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.at("/namespaces/leaky/keyspace/127.0.0.1:6379~10/keys").asLong()).isEqualTo(1_000);
    assertThat(first.at("/namespaces/leaky/keyspace/127.0.0.1:6379~10/bytes_per_min").isMissingNode()).isTrue();
    JsonNode second = json.readTree(lines.get(1));
    JsonNode leaky = second.at("/namespaces/leaky/keyspace/127.0.0.1:6379~10");
    assertThat(leaky.get("bytes_per_min").asDouble()).isEqualTo(2_000_000.0);
    assertThat(leaky.get("keys_per_min").asDouble()).isEqualTo(2_000.0);
    assertThat(second.at("/namespaces/steady/keyspace/127.0.0.1:6379~10/bytes_per_min").asDouble()).isZero();
    assertThat(second.get("rapid_growth")).hasSize(1);
    assertThat(second.at("/rapid_growth/0/namespace").asText()).isEqualTo("leaky");
    assertThat(second.at("/rapid_growth/0/basis").asText()).isEqualTo("keyspace");
    assertThat(second.at("/keyspace_servers/127.0.0.1:6379/pass_commands").asLong()).isEqualTo(42);
    JsonNode third = json.readTree(lines.get(2));
    assertThat(third.at("/keyspace_servers/127.0.0.1:6379/stale").asBoolean()).isTrue();
    assertThat(third.at("/keyspace_servers/127.0.0.1:6379/error").asText()).isEqualTo("Connection refused");
  }

  private static PassSnapshot pass(Instant time, long passId, long leakyKeys, long leakyBytes, long steadyKeys) {
    return new PassSnapshot("127.0.0.1:6379", List.of(
        sample(time, "leaky", leakyKeys, leakyBytes, passId), sample(time, "steady", steadyKeys, 50_000, passId)),
        new ServerSample(time, "127.0.0.1:6379", 1L, 1L, 0L, "noeviction", 0L, 0L, 0L, 0L, leakyKeys + steadyKeys,
            passId, 1.5, 42, true, false, null));
  }

  private static KeyspaceSample sample(Instant time, String ns, long keys, long bytes, long passId) {
    return new KeyspaceSample(time, "127.0.0.1:6379", 0, ns, null, keys, bytes, 0L, keys, keys, null, null, null,
        1.0, 2.0, 3.0, null, Map.of("string", keys), passId, true, false);
  }
}
