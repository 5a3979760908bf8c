package io.memtrace.collector.versions;

import static io.memtrace.collector.versions.Writes.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.HostileText;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionsTextTest {

  /** Every hostile string as a hash field and value, a line of text, a list element and a JSON member. */
  private static KeyVersions hostile() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<CapturedValue> values = new ArrayList<>();
    int second = 0;
    for (String evil : HostileText.ALL) {
      values.add(write(second++, "t" + second, "HSET", ValueChange.FIELDS_SET, "hash",
          json.writeValueAsString(java.util.Map.of(evil, evil))));
      values.add(write(second++, "t" + second, "SET", ValueChange.REPLACE, "string", "first\n" + evil + "\nlast"));
      values.add(write(second++, "t" + second, "SET", ValueChange.REPLACE, "string",
          json.writeValueAsString(java.util.Map.of(evil, List.of(evil)))));
      values.add(write(second++, "t" + second, "RPUSH", ValueChange.PUSH_TAIL, "list",
          json.writeValueAsString(List.of(evil))));
    }
    return VersionHistory.build(HostileText.BIDI, values, new KeyTimeline("k", List.of(), false,
        List.of(HostileText.RETITLE)), 1_000, false);
  }

  @Test
  void shouldShowEveryHostileValueEscapedInTheTextAndNeverEmitIt() throws Exception {
    String text = VersionsText.text(hostile());
    assertThat(HostileText.firstHidden(text, true)).as(text).isEqualTo(-1);
    assertThat(text).contains("\\x1b]2;pwned\\x07", "\\u009b2J", "report\\u202etxt.exe", "line1\\nINJECTED: fake line\\r\\x08");
    assertThat(text.lines()).noneMatch(l -> l.startsWith("INJECTED"));
  }

  @Test
  void shouldKeepEveryHostileValueExactInTheJsonWithoutEmittingIt() throws Exception {
    KeyVersions versions = hostile();
    String out = VersionsText.json(versions);
    assertThat(HostileText.firstHidden(out, true)).isEqualTo(-1);
    JsonNode read = new ObjectMapper().readTree(out);
    assertThat(read.path("key").asText()).isEqualTo(HostileText.BIDI);
    List<String> afters = new ArrayList<>();
    read.path("versions").forEach(v -> v.at("/diff/rows").forEach(r -> afters.add(r.path("after").asText())));
    assertThat(afters).containsAll(HostileText.ALL);
  }

  @Test
  void shouldWriteTheJsonTheSerializersWouldByteForByte() throws Exception {
    KeyTimeline.Event uncaptured = VersionHistoryTest.event(2, "write", "t2", "INCR", 7L);
    KeyTimeline.Event deleted = VersionHistoryTest.event(4, "delete", "t4", "DEL", null);
    KeyVersions plain = VersionHistory.build("k", List.of(Writes.cut(1, "t1", "abc", 9_000),
        write(3, "t3", "SET", ValueChange.REPLACE, "string", "one\ntwo")),
        new KeyTimeline("k", List.of(uncaptured, deleted), true, List.of()), 10, true);
    KeyVersions empty = new KeyVersions("none", List.of(), false, 0, List.of());
    for (KeyVersions versions : List.of(hostile(), plain, empty)) {
      String serialized = io.memtrace.collector.timeline.TimelineText.JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(versions);
      assertThat(VersionsJson.write(versions)).isEqualTo(serialized);
    }
    assertThat(plain.versions()).extracting(Version::what).contains("write_not_captured", "delete");
    assertThat(plain.notes()).isNotEmpty();
  }

  @Test
  void shouldMarkACutValueAndAnUncapturedWriteInTheText() {
    KeyTimeline.Event uncaptured = VersionHistoryTest.event(2, "write", "t2", "INCR", 7L);
    KeyVersions versions = VersionHistory.build("k", List.of(Writes.cut(1, "t1", "abc", 9_000)),
        new KeyTimeline("k", List.of(uncaptured), false, List.of()), 10, false);
    String text = VersionsText.text(versions);
    assertThat(text).containsPattern("v1 +\\S+ +replace +SET by agent-app \\(trace t1\\)")
        .contains("string, 3 B, not known exactly · 9000 B written · CUT at the agent's cap")
        .containsPattern("v2 +\\S+ +write not captured +INCR by agent-app \\(trace t2\\)")
        .contains("not known · 7 B written", "note: value not captured (7 B written)");
  }
}
