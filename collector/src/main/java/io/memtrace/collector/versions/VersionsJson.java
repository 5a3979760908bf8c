package io.memtrace.collector.versions;

import com.fasterxml.jackson.core.JsonGenerator;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.timeline.TimelineText;
import java.io.IOException;
import java.io.StringWriter;

/**
 * A record's versions as the JSON that {@link TimelineText#JSON}'s pretty printer writes for them, written field by
 * field through its generator rather than through its serializers, which it would first build by reflection over
 * the records: a command run once ({@code timeline --versions --format json}) pays for that build and for running
 * it cold. The fields, their order, their names and their nulls are the records' own ({@code VersionsTextTest}
 * holds this output to the serializers' one).
 */
final class VersionsJson {

  private VersionsJson() {
  }

  static String write(KeyVersions versions) {
    StringWriter out = new StringWriter(versions.versions().size() * 1_024);
    try (JsonGenerator g = TimelineText.JSON.writerWithDefaultPrettyPrinter().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("key", versions.key());
      g.writeArrayFieldStart("versions");
      for (Version v : versions.versions()) {
        version(g, v);
      }
      g.writeEndArray();
      g.writeBooleanField("truncated", versions.truncated());
      g.writeNumberField("captured", versions.captured());
      g.writeArrayFieldStart("notes");
      for (String note : versions.notes()) {
        g.writeString(note);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new CollectorException("could not write the versions as JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void version(JsonGenerator g, Version v) throws IOException {
    g.writeStartObject();
    g.writeNumberField("number", v.number());
    g.writeNumberField("time_us", v.timeUs());
    g.writeStringField("what", v.what());
    g.writeStringField("change", v.change());
    g.writeStringField("by", v.by());
    g.writeStringField("cause", v.cause());
    g.writeStringField("trace_id", v.traceId());
    g.writeStringField("span_id", v.spanId());
    g.writeStringField("service", v.service());
    g.writeStringField("operation", v.operation());
    g.writeStringField("type", v.type());
    number(g, "size", v.size());
    g.writeBooleanField("truncated", v.truncated());
    g.writeBooleanField("exact", v.exact());
    g.writeStringField("summary", v.summary());
    g.writeStringField("note", v.note());
    g.writeObjectFieldStart("diff");
    g.writeStringField("form", v.diff().form());
    g.writeArrayFieldStart("rows");
    for (DiffRow row : v.diff().rows()) {
      g.writeStartObject();
      g.writeStringField("op", row.op());
      g.writeStringField("name", row.name());
      g.writeStringField("before", row.before());
      g.writeStringField("after", row.after());
      number(g, "before_line", row.beforeLine() == null ? null : row.beforeLine().longValue());
      number(g, "after_line", row.afterLine() == null ? null : row.afterLine().longValue());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("more", v.diff().more());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, Long value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, value);
    }
  }
}
