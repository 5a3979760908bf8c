package io.memtrace.collector.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A timeline of a key written to attack the terminal: shown as escapes in text and JSON, read back unchanged. */
class TimelineTextTest {

  private static final String HOSTILE = "k\u001b]2;owned\u0007\u202e<b>";

  private static KeyTimeline hostile() {
    SpanRow write = new SpanRow(1_000_000, 1_001_000, "t1", "s1", null, "svc\u001b[2J", "memory", null, null, HOSTILE,
        "ns", "write", "store", null, 12L, 60L, false);
    return KeyRecord.build(new TimelineRequest(HOSTILE), new RecordRows(List.of(write), List.of(), List.of(),
        List.of()));
  }

  @Test
  void shouldShowControlAndBidiCharactersAsEscapesInText() {
    String text = TimelineText.text(hostile());
    assertThat(text).doesNotContain("\u001b", "\u0007", "\u202e").contains("k\\x1b]2;owned\\x07\\u202e<b>",
        "svc\\x1b[2J", "TTL asked 60 s, got unknown (the Redis commands are not stored)");
  }

  @Test
  void shouldEscapeThemInJsonThatReadsBackAsTheKey() throws Exception {
    String json = TimelineText.json(hostile());
    assertThat(json).doesNotContain("\u001b", "\u0007", "\u202e");
    JsonNode read = TimelineText.JSON.readTree(json);
    assertThat(read.path("key").asText()).isEqualTo(HOSTILE);
    assertThat(read.at("/events/0/ttl_got_state").asText()).isEqualTo("unknown");
  }
}
