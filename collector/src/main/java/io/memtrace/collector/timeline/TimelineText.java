package io.memtrace.collector.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Visible;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.KeyTimeline.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * A timeline for the terminal or as JSON. Every value from the store is the application's (keys, services, Redis's
 * event names), so the text shows its control and bidirectional characters as escapes ({@link Visible}), never
 * emits them; the JSON escapes them too.
 */
public final class TimelineText {

  /** JSON with snake_case names, as {@code GET /api/keys/{key}/timeline} gives it. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private static final String INDENT = " ".repeat(26);

  private TimelineText() {
  }

  public static String json(KeyTimeline timeline) {
    try {
      return Visible.json(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(timeline)) + "\n";
    } catch (JsonProcessingException e) {
      throw new CollectorException("could not write the timeline as JSON: " + e.getMessage(), e);
    }
  }

  public static String text(KeyTimeline timeline) {
    StringBuilder out = new StringBuilder();
    out.append(Visible.text(timeline.key())).append(": ").append(timeline.events().size()).append(" events, oldest first")
        .append(timeline.truncated() ? " (older ones left out; see --limit)" : "").append(", times UTC\n");
    for (Event e : timeline.events()) {
      out.append(String.format("%-25s %-13s ", KeyRecord.time(e.timeUs()), e.what().replace('_', ' ')))
          .append(Visible.text(e.cause())).append('\n');
      List<String> facts = new ArrayList<>();
      facts.add(Visible.text(e.key() + (e.namespace() == null ? "" : " in " + e.namespace())));
      if (e.redis() != null) {
        facts.add(Visible.text(e.redis() + (e.db() == null ? "" : "/" + e.db())));
      }
      if (e.traceId() != null && !e.cause().contains(e.operation())) {
        facts.add(Visible.text(e.operation()));
      }
      if (e.valueSize() != null) {
        facts.add(e.valueSize() + " B");
      }
      if (e.ttlAsked() != null || e.ttlGotState() != null) {
        facts.add(ttl(e));
      }
      if (!e.notified().isEmpty()) {
        facts.add("Redis events: " + Visible.text(String.join(", ", e.notified())));
      }
      out.append(INDENT).append(String.join(" · ", facts)).append('\n');
      if (e.writer() != null && e.writer().traced()) {
        out.append(INDENT).append(e.what().equals("read") ? "saw the write of trace " : "the last traced change "
            + "before it: trace ")
            .append(Visible.text(e.writer().traceId())).append(" at ").append(KeyRecord.time(e.writer().timeUs()))
            .append('\n');
      } else if (e.writer() != null) {
        out.append(INDENT).append(e.what().equals("read") ? "saw the change: " : "the last change before it: ")
            .append(e.writer().describe(KeyRecord.time(e.writer().timeUs()))).append('\n');
      }
      for (KeyTimeline.Ref r : e.readBy()) {
        out.append(INDENT).append("read by trace ").append(Visible.text(r.traceId())).append(" at ")
            .append(KeyRecord.time(r.timeUs())).append('\n');
      }
      if (e.reason() != null) {
        out.append(INDENT).append("why: ").append(Visible.text(e.reason())).append('\n');
      }
    }
    for (String note : timeline.notes()) {
      out.append("note: ").append(Visible.text(note)).append('\n');
    }
    return out.toString();
  }

  private static String ttl(Event e) {
    String asked = e.ttlAsked() == null ? "TTL asked none" : "TTL asked " + e.ttlAsked() + " s";
    if (e.ttlGotState() == null) {
      return asked.replace("TTL asked", "TTL");
    }
    return asked + ", got " + switch (e.ttlGotState()) {
      case "set" -> e.ttlGot() + " s";
      case "none" -> "none";
      default -> "unknown (the Redis commands are not stored)";
    };
  }
}
