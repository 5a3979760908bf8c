package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.common.redis.CommandOverlay;
import io.memtrace.common.redis.RedisCommandFiles;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay in the common module is the one home of which Redis commands read, write or delete; the collector follows it. */
class CommandAccessTest {

  static final Path OVERLAY = Paths.get("../common/src/main/resources/io/memtrace/common/redis/redis-command-overlay.txt");
  private static final Pattern ACCESS_LINE = Pattern.compile("^(read|write|delete|other) \\S+ \\S+ \\S+ : (.+)$");

  @TempDir
  Path dir;

  @Test
  void shouldReadTheOverlayTheAgentReads() throws Exception {
    try (BufferedReader shared = RedisCommandFiles.open(RedisCommandFiles.OVERLAY)) {
      assertThat(shared.lines().collect(Collectors.joining("\n", "", "\n")))
          .as("the collector reads the one overlay, from the common module the agent shades")
          .isEqualTo(Files.readString(OVERLAY));
    }
  }

  @Test
  void shouldClassifyEveryCommandTheOverlayNamesAsItSays() throws Exception {
    Map<String, String> expected = overlay();
    assertThat(expected).hasSizeGreaterThan(200).containsEntry("GET", "read").containsEntry("SETEX", "write")
        .containsEntry("UNLINK", "delete").containsEntry("EXPIRE", "other").containsEntry("XGROUP|DESTROY", "delete");
    List<Span> spans = new ArrayList<>();
    int at = 0;
    for (String command : expected.keySet()) {
      if (!command.contains("|")) {
        spans.add(LineageFixtures.redis(LineageFixtures.READER_TRACE, command, at++, "k:" + command.toLowerCase(Locale.ROOT)));
      }
    }
    TestStores.fill(dir, SpanFixtures.request("svc", spans));
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      ResultTable table = store.query("SELECT command, access FROM redis_command_access");
      Map<String, String> stored = new LinkedHashMap<>();
      for (int i = 0; i < table.size(); i++) {
        stored.put(table.text(i, "command"), table.text(i, "access"));
      }
      // the key events take the commands that only set or clear a TTL as 'ttl', the overlay's 'other'
      Map<String, String> keyEvents = new LinkedHashMap<>(expected);
      for (String command : List.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST")) {
        assertThat(keyEvents.put(command, "ttl")).as(command).isEqualTo("other");
      }
      // and the scripts that may change their keys as 'script': what they did only Redis's events tell
      for (String command : CommandAccess.SCRIPTS) {
        assertThat(keyEvents.put(command, "script")).as(command).isEqualTo("other");
      }
      assertThat(stored).containsAllEntriesOf(keyEvents);
      ResultTable events = store.query("SELECT operation, access FROM key_events");
      assertThat(events.size()).isEqualTo(spans.size());
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.text(i, "access")).as(events.text(i, "operation"))
            .isEqualTo(keyEvents.get(events.text(i, "operation")));
      }
    }
  }

  @Test
  void shouldClassifyAContainerOnlyWhenItsSubcommandsAgree() throws Exception {
    Span read = LineageFixtures.redis(LineageFixtures.READER_TRACE, "FT.CURSOR", 0, "idx:1");
    Span mixed = LineageFixtures.redis(LineageFixtures.READER_TRACE, "XGROUP", 1, "stream:1");
    Span unknown = LineageFixtures.redis(LineageFixtures.READER_TRACE, "NOSUCHCOMMAND", 2, "x:1");
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(read, mixed, unknown)));
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      ResultTable events = store.query("SELECT operation, access FROM key_events ORDER BY time");
      assertThat(events.rows()).extracting(r -> r.get(1)).containsExactly("read", "other", "other");
    }
    assertThat(CommandAccess.withContainers()).containsEntry("FT.CURSOR", "read").doesNotContainKey("XGROUP");
  }

  @Test
  void shouldNameTheLineOfABadAccessWord() {
    assertThatThrownBy(() -> CommandOverlay.read(new BufferedReader(new StringReader("# x\nread nil - - : GET\nwrtie - - - : SET\n"))))
        .hasMessageContaining("line 3").hasMessageContaining("access 'wrtie' is none of read, write, delete, other");
    assertThatThrownBy(() -> CommandOverlay.read(new BufferedReader(new StringReader("read nil - - : GET\nwrite - - - : get\n"))))
        .hasMessageContaining("line 2").hasMessageContaining("GET is given a meaning twice");
  }

  /** The overlay's ACCESS lines read here afresh, not through the class under test. */
  private static Map<String, String> overlay() throws Exception {
    Map<String, String> access = new LinkedHashMap<>();
    for (String line : Files.readAllLines(OVERLAY)) {
      Matcher m = ACCESS_LINE.matcher(line.strip());
      if (m.matches()) {
        for (String name : m.group(2).strip().split("\\s+")) {
          access.put(name.toUpperCase(Locale.ROOT), m.group(1));
        }
      }
    }
    return access;
  }
}
