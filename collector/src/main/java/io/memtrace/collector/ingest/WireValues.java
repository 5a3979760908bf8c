package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.WireReader.LENGTH;
import static io.memtrace.collector.ingest.WireReader.field;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values inside an OTLP span, read where {@link SpanDecoder}'s reader stands: attributes ({@code KeyValue}),
 * their {@code AnyValue}s to any depth up to {@link SpanDecoder#MAX_DEPTH}, text fields, and the rare events and links
 * (handed to the generated parser), each as the generated parser and {@link AttributeValues} would give it. The
 * decoder walks the messages; this reads what they hold.
 * Anything protobuf would merge or repair is {@link UncommonPayload}, for the generated parser's path.
 */
final class WireValues {

  private final byte[] buf;
  private final WireReader in;
  private final TextTable text;

  WireValues(byte[] buf, WireReader in, TextTable text) {
    this.buf = buf;
    this.in = in;
    this.text = text;
  }

  /** A KeyValue into {@code into}, as {@link AttributeValues#toMap} puts it: a later equal key replaces the value. */
  void keyValue(Map<String, Object> into, int depth) throws UncommonPayload {
    String key = "";
    Object value = null;
    boolean valueSeen = false;
    while (in.more()) {
      int tag = in.tag();
      if (tag == field(1, LENGTH)) {
        int end = in.length();
        key = text.key(buf, in.position(), end);
        in.seek(end);
      } else if (tag == field(2, LENGTH)) {
        if (valueSeen) {
          throw UncommonPayload.INSTANCE; // protobuf merges two values
        }
        valueSeen = true;
        int outer = in.open();
        value = anyValue(depth);
        in.close(outer);
      } else {
        in.skip(tag);
      }
    }
    into.put(key, value);
  }

  /** An AnyValue as {@link AttributeValues#toJava} gives it; null when it holds none. */
  private Object anyValue(int depth) throws UncommonPayload {
    if (depth > SpanDecoder.MAX_DEPTH) {
      throw UncommonPayload.INSTANCE;
    }
    Object value = null;
    boolean seen = false;
    while (in.more()) {
      int tag = in.tag();
      if (tag >>> 3 >= 1 && tag >>> 3 <= 7 && seen) {
        throw UncommonPayload.INSTANCE; // two cases of the oneof: protobuf keeps the last, merging messages
      }
      switch (tag) {
        case (1 << 3) | 2 -> value = string();
        case 2 << 3 -> value = in.varint() != 0;
        case 3 << 3 -> value = in.varint();
        case (4 << 3) | 1 -> value = Double.longBitsToDouble(in.fixed64());
        case (5 << 3) | 2 -> {
          int outer = in.open();
          List<Object> list = new ArrayList<>();
          in.each(1, () -> list.add(anyValue(depth + 1)));
          in.close(outer);
          value = list;
        }
        case (6 << 3) | 2 -> {
          int outer = in.open();
          Map<String, Object> map = new LinkedHashMap<>();
          in.each(1, () -> keyValue(map, depth + 1));
          in.close(outer);
          value = map;
        }
        case (7 << 3) | 2 -> {
          int end = in.length();
          value = Base64.getEncoder().encodeToString(Arrays.copyOfRange(buf, in.position(), end));
          in.seek(end);
        }
        default -> {
          // a known field with another wire type is an unknown field to protobuf, skipped
          in.skip(tag);
          continue;
        }
      }
      seen = true;
    }
    return value;
  }

  /** A length-delimited text field, shared when short (see {@link TextTable}). */
  String string() throws UncommonPayload {
    int end = in.length();
    String s = text.value(buf, in.position(), end);
    in.seek(end);
    return s;
  }

  /** Events are rare (an exception, a retry): the generated parser reads them, and TraceMapper writes them. */
  String events(List<int[]> ranges) throws UncommonPayload {
    List<Span.Event> events = new ArrayList<>(ranges.size());
    try {
      for (int[] r : ranges) {
        events.add(Span.Event.parseFrom(ByteBuffer.wrap(buf, r[0], r[1] - r[0])));
      }
      return TraceMapper.events(events, "");
    } catch (InvalidProtocolBufferException | PayloadException e) {
      throw UncommonPayload.INSTANCE;
    }
  }

  /** Links are few (a model call's memory reads): parsed as events are, and written by TraceMapper. */
  String links(List<int[]> ranges) throws UncommonPayload {
    List<Span.Link> links = new ArrayList<>(ranges.size());
    try {
      for (int[] r : ranges) {
        links.add(Span.Link.parseFrom(ByteBuffer.wrap(buf, r[0], r[1] - r[0])));
      }
      return TraceMapper.links(links);
    } catch (InvalidProtocolBufferException e) {
      throw UncommonPayload.INSTANCE;
    }
  }
}
