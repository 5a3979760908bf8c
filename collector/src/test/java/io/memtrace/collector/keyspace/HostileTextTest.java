package io.memtrace.collector.keyspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespaces come from whoever wrote the keys, URLs from the command line: neither reaches the terminal raw. */
class HostileTextTest {

  @Test
  void shouldShowControlCharactersOfANamespaceInsteadOfSendingThem() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KeyspaceSample s = new KeyspaceSample(Instant.now(), "h:1", 0, "evil\u001b[2J\nns", null, 1, 10L, 0L, 1, 0L, null,
        null, null, null, null, null, null, Map.of(), 1, true, false);
    new PassTable(new PrintStream(bytes, true, StandardCharsets.UTF_8)).accept(new PassSnapshot("h:1", List.of(s),
        new ServerSample(Instant.now(), "h:1", 1L, 1L, 0L, "noeviction", 0L, 0L, 0L, 0L, 1L, 1, 0.1, 5, true, false,
            "note\u0007")));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007").contains("evil\\u001b[2J\\u000ans");
  }

  @Test
  void shouldKeepCredentialsOutOfEveryTextOfAUrl() {
    RedisUrl url = RedisUrl.parse("--redis", "redis://watcher:p%40ss@cache.internal:6380");
    assertThat(url.address()).isEqualTo("cache.internal:6380");
    assertThat(url.toString()).isEqualTo("redis://cache.internal:6380");
    assertThatThrownBy(() -> RedisUrl.parse("--redis", "redis://u:secret@host:6379/3"))
        .hasMessageContaining("must not name a database").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RedisUrl.parse("--redis", "redis://u:sec ret@host"))
        .hasMessageNotContaining("sec ret");
  }

  @Test
  void shouldReadSinceAsADurationOrAnInstant() {
    assertThat(Duration.between(KeyspaceApiHandler.since("10m"), Instant.now()).toMinutes()).isEqualTo(10);
    assertThat(KeyspaceApiHandler.since("2026-01-02T03:04:05Z")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(KeyspaceApiHandler.since(null)).isNull();
    assertThatThrownBy(() -> KeyspaceApiHandler.since("yesterday")).isInstanceOf(IllegalArgumentException.class);
  }
}
