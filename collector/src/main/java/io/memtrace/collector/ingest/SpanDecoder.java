package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.WireReader.LENGTH;
import static io.memtrace.collector.ingest.WireReader.field;

import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} in protobuf straight into store rows, the same rows
 * that {@link TraceMapper} makes of the parsed message, without building the message first. The
 * generated parser makes a builder and a message for every span, attribute and value, and at full
 * capture that garbage, not the parsing, was the collector's largest cost: the heap's collections took
 * a third of its CPU in a load run at 40k spans/s.
 *
 * <p>It takes the common case only. For anything else it answers null and the caller takes the
 * generated parser's path, which repairs or refuses with a precise message: a malformed or truncated
 * field, text that is not valid UTF-8, an id of the wrong length or all zeroes, a time the store refuses
 * or a missing start, a singular message field sent twice (which protobuf merges), a group, or
 * values nested deeper than {@link #MAX_DEPTH}. Fields it does not need are skipped as protobuf skips
 * unknown ones ({@link WireReader}), and a field sent twice keeps the last value, as protobuf's does.
 * Attribute keys, and short text values, are shared between spans through a small per-thread
 * {@link TextTable}, so the thousands of spans of a batch that say {@code db.system.name} hold one
 * string, not thousands.
 */
final class SpanDecoder {

  /** Deeper nesting of array and key-value-list values goes to the generated parser, which allows 100 levels. */
  static final int MAX_DEPTH = 32;
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<TextTable> TEXT = ThreadLocal.withInitial(TextTable::new);

  private final byte[] buf;
  private final WireReader in;
  private final WireValues values;

  private SpanDecoder(byte[] buf) {
    this.buf = buf;
    this.in = new WireReader(buf);
    this.values = new WireValues(buf, in, TEXT.get());
  }

  /** The rows of {@code body}, or null when it needs the generated parser's path (see the class comment). */
  static List<SpanRow> decode(byte[] body) {
    try {
      return ValueEvents.takeOut(new SpanDecoder(body).request());
    } catch (UncommonPayload e) {
      return null;
    }
  }

  private List<SpanRow> request() throws UncommonPayload {
    List<SpanRow> rows = new ArrayList<>();
    in.each(1, () -> resourceSpans(rows));
    return rows;
  }

  /** One ResourceSpans: its resource first, wherever it is in the message, then its scopes in order. */
  private void resourceSpans(List<SpanRow> rows) throws UncommonPayload {
    int start = in.position();
    int resource = -1;
    while (in.more()) {
      int tag = in.tag();
      if (tag == field(1, LENGTH)) {
        if (resource >= 0) {
          throw UncommonPayload.INSTANCE; // protobuf merges the two
        }
        resource = in.position();
      }
      in.skip(tag);
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (resource >= 0) {
      in.seek(resource);
      int outer = in.open();
      in.each(1, () -> values.keyValue(attributes, 0));
      in.close(outer);
    }
    String service = attributes.get("service.name") instanceof String s ? s : "unknown_service";
    String resourceJson = AttributeValues.toJson(attributes);
    in.seek(start);
    in.each(2, () -> scopeSpans(service, resourceJson, rows));
  }

  /** One ScopeSpans: its scope's name, wherever it is in the message, then its spans in order. */
  private void scopeSpans(String service, String resourceJson, List<SpanRow> rows) throws UncommonPayload {
    int start = in.position();
    String scope = "";
    boolean seen = false;
    while (in.more()) {
      int tag = in.tag();
      if (tag == field(1, LENGTH)) {
        if (seen) {
          throw UncommonPayload.INSTANCE;
        }
        seen = true;
        int outer = in.open();
        while (in.more()) {
          int inner = in.tag();
          if (inner == field(1, LENGTH)) {
            scope = values.string();
          } else {
            in.skip(inner);
          }
        }
        in.close(outer);
      } else {
        in.skip(tag);
      }
    }
    in.seek(start);
    String name = scope;
    in.each(2, () -> span(service, name, resourceJson, rows));
  }

  /** Adds the span at the reader to {@code rows}; a carrier of key events as the spans of its events. */
  private void span(String service, String scope, String resourceJson, List<SpanRow> rows) throws UncommonPayload {
    int traceId = -1;
    int traceIdLength = 0;
    int spanId = -1;
    int spanIdLength = 0;
    int parent = -1;
    int parentLength = 0;
    String traceState = "";
    String name = "";
    int kind = 0;
    long start = 0;
    long stop = 0;
    String statusMessage = "";
    int statusCode = 0;
    boolean status = false;
    List<int[]> events = null;
    List<int[]> links = null;
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (in.more()) {
      int tag = in.tag();
      switch (tag) {
        case (1 << 3) | 2 -> {
          int end = in.length();
          traceId = in.position();
          traceIdLength = end - traceId;
          in.seek(end);
        }
        case (2 << 3) | 2 -> {
          int end = in.length();
          spanId = in.position();
          spanIdLength = end - spanId;
          in.seek(end);
        }
        case (3 << 3) | 2 -> traceState = values.string();
        case (4 << 3) | 2 -> {
          int end = in.length();
          parent = in.position();
          parentLength = end - parent;
          in.seek(end);
        }
        case (5 << 3) | 2 -> name = values.string();
        case 6 << 3 -> kind = (int) in.varint();
        case (7 << 3) | 1 -> start = in.fixed64();
        case (8 << 3) | 1 -> stop = in.fixed64();
        case (9 << 3) | 2 -> {
          int outer = in.open();
          values.keyValue(attributes, 0);
          in.close(outer);
        }
        case (11 << 3) | 2 -> events = skipped(events);
        case (13 << 3) | 2 -> links = skipped(links);
        case (15 << 3) | 2 -> {
          if (status) {
            throw UncommonPayload.INSTANCE;
          }
          status = true;
          int outer = in.open();
          while (in.more()) {
            int inner = in.tag();
            if (inner == ((2 << 3) | 2)) {
              statusMessage = values.string();
            } else if (inner == 3 << 3) {
              statusCode = (int) in.varint();
            } else {
              in.skip(inner);
            }
          }
          in.close(outer);
        }
        default -> in.skip(tag);
      }
    }
    // what TraceMapper refuses, the generated parser's path refuses, with the field named
    if (traceIdLength != 16 || zero(traceId, 16) || spanIdLength != 8 || zero(spanId, 8)
        || (parentLength != 0 && (parentLength != 8 || zero(parent, 8))) || start <= 0 || stop < 0) {
      throw UncommonPayload.INSTANCE;
    }
    if (KeyEventSpans.carrier(name)) {
      carrier(service, scope, resourceJson, events, rows);
      return;
    }
    StatementKeys.derive(attributes, scope);
    rows.add(new SpanRow(HEX.formatHex(buf, traceId, traceId + 16), HEX.formatHex(buf, spanId, spanId + 8),
        parentLength == 0 ? null : HEX.formatHex(buf, parent, parent + 8), traceState, name,
        TraceMapper.kind(kindOf(kind)), start, Math.max(stop, start), statusName(statusCode), statusMessage, service,
        scope, attributes, AttributeValues.toJson(attributes), events == null ? "[]" : values.events(events), resourceJson,
        links == null ? null : values.links(links)));
  }

  /**
   * A carrier's events, each parsed by the generated parser (a carrier has one a connection, each a long text), read
   * into the spans they stand for; a time the store refuses goes to the generated parser's path, which names it.
   */
  private void carrier(String service, String scope, String resourceJson, List<int[]> ranges, List<SpanRow> rows)
      throws UncommonPayload {
    List<Span.Event> events = new ArrayList<>(ranges == null ? 0 : ranges.size());
    try {
      for (int[] r : ranges == null ? List.<int[]>of() : ranges) {
        events.add(Span.Event.parseFrom(java.nio.ByteBuffer.wrap(buf, r[0], r[1] - r[0])));
      }
      KeyEventSpans.expand(service, scope, resourceJson, events, "", rows);
    } catch (com.google.protobuf.InvalidProtocolBufferException | PayloadException e) {
      throw UncommonPayload.INSTANCE;
    }
  }

  /** The message at the reader, skipped and its range added to {@code ranges} (made when null). */
  private List<int[]> skipped(List<int[]> ranges) throws UncommonPayload {
    List<int[]> list = ranges == null ? new ArrayList<>(2) : ranges;
    int end = in.length();
    list.add(new int[] {in.position(), end});
    in.seek(end);
    return list;
  }

  /** The kind protobuf would give the number: an unknown one is UNRECOGNIZED. */
  private static Span.SpanKind kindOf(int number) {
    Span.SpanKind kind = Span.SpanKind.forNumber(number);
    return kind == null ? Span.SpanKind.UNRECOGNIZED : kind;
  }

  private static String statusName(int code) {
    return code == 1 ? "OK" : code == 2 ? "ERROR" : "UNSET";
  }

  private boolean zero(int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
