package io.memtrace.agent.pipeline;

import io.memtrace.common.KeyEventLines;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The commands in a carrier's key events, read back as the collector reads them ({@link KeyEventLines}). */
final class KeyEventCommands {

  /** A command: its name, what it says of its key (as its span's attributes, typed), ids (hex) and times. */
  static final class Command {
    private final String name;
    private final TreeMap<String, Object> said;
    private final KeyEventLines.Line line;

    Command(String name, TreeMap<String, Object> said, KeyEventLines.Line line) {
      this.name = name;
      this.said = said;
      this.line = line;
    }

    String name() {
      return name;
    }

    TreeMap<String, Object> said() {
      return said;
    }

    String traceId() {
      return line.traceId;
    }

    String spanId() {
      return line.spanId;
    }

    String parentSpanId() {
      return line.parentSpanId;
    }

    long end() {
      return line.end;
    }

    long duration() {
      return line.duration;
    }
  }

  private KeyEventCommands() {
  }

  static List<Command> of(List<EventData> events) {
    List<Command> out = new ArrayList<>();
    for (EventData e : events) {
      String text = e.getAttributes().get(AttributeKey.stringKey(KeyEventLines.ATTRIBUTE));
      if (text == null) {
        continue; // an event of batches ({@link #batches})
      }
      for (KeyEventLines.Line line : KeyEventLines.read(text, e.getEpochNanos())) {
        TreeMap<String, Object> said = new TreeMap<>();
        e.getAttributes().forEach((k, v) -> {
          if (!k.getKey().equals(KeyEventLines.ATTRIBUTE)) {
            said.put(k.getKey(), v);
          }
        });
        said.putAll(line.attributes());
        out.add(new Command(line.name, said, line));
      }
    }
    return out;
  }

  /**
   * The compressed pipelines and transactions in a carrier's events, read back as the collector reads them: each
   * as "NAME trace=… span=… parent=… end=… duration=… place={…}" and a line per command it lists,
   * "\n  COMMAND {attributes}", the attributes as the kept batch span's {@code memtrace.batch.command} event has them.
   */
  static List<String> batches(List<EventData> events) {
    List<String> out = new ArrayList<>();
    for (EventData e : events) {
      String text = e.getAttributes().get(AttributeKey.stringKey(KeyEventLines.BATCHES));
      if (text == null) {
        continue;
      }
      TreeMap<String, Object> place = new TreeMap<>();
      e.getAttributes().forEach((k, v) -> {
        if (!k.getKey().equals(KeyEventLines.BATCHES)) {
          place.put(k.getKey(), v);
        }
      });
      for (KeyEventLines.Batch batch : KeyEventLines.readBatches(text, e.getEpochNanos())) {
        KeyEventLines.Line span = batch.span;
        StringBuilder said = new StringBuilder(span.name + " trace=" + span.traceId + " span=" + span.spanId
            + " parent=" + span.parentSpanId + " end=" + span.end + " duration=" + span.duration + " place=" + place);
        for (KeyEventLines.Line command : batch.commands) {
          TreeMap<String, Object> attributes = new TreeMap<>(command.attributes());
          attributes.put("db.operation.name", command.name);
          said.append("\n  ").append(command.name).append(' ').append(attributes);
        }
        out.add(said.toString());
      }
    }
    return out;
  }
}
