package io.memtrace.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
 * unknown ones, and a field sent twice keeps the last value, as protobuf's does. Attribute keys, and
 * short text values, are shared between spans through a small per-thread table, so the thousands of
 * spans of a batch that say {@code db.system.name} hold one string, not thousands.
 */
final class SpanDecoder {

  /** Deeper nesting of array and key-value-list values goes to the generated parser, which allows 100 levels. */
  static final int MAX_DEPTH = 32;
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<TextTable> TEXT = ThreadLocal.withInitial(TextTable::new);

  private final byte[] buf;
  private final TextTable text = TEXT.get();
  private int pos;
  /** Where the message being read ends: no field of it may run past, as protobuf checks. */
  private int limit;

  private SpanDecoder(byte[] buf) {
    this.buf = buf;
    this.limit = buf.length;
  }

  /** Reads a length, and makes the field's end the limit; returns the limit it replaces, for {@link #close}. */
  private int open() throws Unusual {
    int end = length();
    int outer = limit;
    limit = end;
    return outer;
  }

  /** Steps past the message opened last, and puts back the limit it replaced. */
  private void close(int outer) {
    pos = limit;
    limit = outer;
  }

  /** The rows of {@code body}, or null when it needs the generated parser's path (see the class comment). */
  static List<SpanRow> decode(byte[] body) {
    try {
      return new SpanDecoder(body).request();
    } catch (Unusual e) {
      return null;
    }
  }

  /** Not the common case: the generated parser's path takes the body. Carries no stack trace. */
  private static final class Unusual extends Exception {
    private static final long serialVersionUID = 1L;
    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
      super(null, null, false, false);
    }
  }

  private List<SpanRow> request() throws Unusual {
    List<SpanRow> rows = new ArrayList<>();
    each(1, () -> resourceSpans(rows));
    return rows;
  }

  /** One length-delimited field of a message, read with its end as the limit. */
  @FunctionalInterface
  private interface Part {
    void read() throws Unusual;
  }

  /** Reads every field {@code number} of the message being read with {@code part}, in order, and skips the others. */
  private void each(int number, Part part) throws Unusual {
    while (pos < limit) {
      int tag = tag();
      if (tag == field(number, 2)) {
        int outer = open();
        part.read();
        close(outer);
      } else {
        skip(tag);
      }
    }
  }

  /** One ResourceSpans: its resource first, wherever it is in the message, then its scopes in order. */
  private void resourceSpans(List<SpanRow> rows) throws Unusual {
    int start = pos;
    int resource = -1;
    while (pos < limit) {
      int tag = tag();
      if (tag == field(1, 2)) {
        if (resource >= 0) {
          throw Unusual.INSTANCE; // protobuf merges the two
        }
        resource = pos;
      }
      skip(tag);
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (resource >= 0) {
      pos = resource;
      int outer = open();
      each(1, () -> keyValue(attributes, 0));
      close(outer);
    }
    String service = attributes.get("service.name") instanceof String s ? s : "unknown_service";
    String resourceJson = AttributeValues.toJson(attributes);
    pos = start;
    each(2, () -> scopeSpans(service, resourceJson, rows));
  }

  /** One ScopeSpans: its scope's name, wherever it is in the message, then its spans in order. */
  private void scopeSpans(String service, String resourceJson, List<SpanRow> rows) throws Unusual {
    int start = pos;
    String scope = "";
    boolean seen = false;
    while (pos < limit) {
      int tag = tag();
      if (tag == field(1, 2)) {
        if (seen) {
          throw Unusual.INSTANCE;
        }
        seen = true;
        int outer = open();
        while (pos < limit) {
          int inner = tag();
          if (inner == field(1, 2)) {
            scope = string();
          } else {
            skip(inner);
          }
        }
        close(outer);
      } else {
        skip(tag);
      }
    }
    pos = start;
    String name = scope;
    each(2, () -> rows.add(span(service, name, resourceJson)));
  }

  private SpanRow span(String service, String scope, String resourceJson) throws Unusual {
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
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (pos < limit) {
      int tag = tag();
      switch (tag) {
        case (1 << 3) | 2 -> {
          traceIdLength = length() - pos;
          traceId = pos;
          pos += traceIdLength;
        }
        case (2 << 3) | 2 -> {
          spanIdLength = length() - pos;
          spanId = pos;
          pos += spanIdLength;
        }
        case (3 << 3) | 2 -> traceState = string();
        case (4 << 3) | 2 -> {
          parentLength = length() - pos;
          parent = pos;
          pos += parentLength;
        }
        case (5 << 3) | 2 -> name = string();
        case 6 << 3 -> kind = (int) varint();
        case (7 << 3) | 1 -> start = fixed64();
        case (8 << 3) | 1 -> stop = fixed64();
        case (9 << 3) | 2 -> {
          int outer = open();
          keyValue(attributes, 0);
          close(outer);
        }
        case (11 << 3) | 2 -> {
          int end = length();
          if (events == null) {
            events = new ArrayList<>(2);
          }
          events.add(new int[] {pos, end});
          pos = end;
        }
        case (15 << 3) | 2 -> {
          if (status) {
            throw Unusual.INSTANCE;
          }
          status = true;
          int outer = open();
          while (pos < limit) {
            int inner = tag();
            if (inner == ((2 << 3) | 2)) {
              statusMessage = string();
            } else if (inner == 3 << 3) {
              statusCode = (int) varint();
            } else {
              skip(inner);
            }
          }
          close(outer);
        }
        default -> skip(tag);
      }
    }
    // what TraceMapper refuses, the generated parser's path refuses, with the field named
    if (traceIdLength != 16 || zero(traceId, 16) || spanIdLength != 8 || zero(spanId, 8)
        || (parentLength != 0 && (parentLength != 8 || zero(parent, 8))) || start <= 0 || stop < 0) {
      throw Unusual.INSTANCE;
    }
    StatementKeys.derive(attributes, scope);
    return new SpanRow(HEX.formatHex(buf, traceId, traceId + 16), HEX.formatHex(buf, spanId, spanId + 8),
        parentLength == 0 ? null : HEX.formatHex(buf, parent, parent + 8), traceState, name,
        TraceMapper.kind(kindOf(kind)), start, Math.max(stop, start), statusName(statusCode), statusMessage, service,
        scope, attributes, AttributeValues.toJson(attributes), events == null ? "[]" : events(events), resourceJson);
  }

  /** The kind protobuf would give the number: an unknown one is UNRECOGNIZED. */
  private static Span.SpanKind kindOf(int number) {
    Span.SpanKind kind = Span.SpanKind.forNumber(number);
    return kind == null ? Span.SpanKind.UNRECOGNIZED : kind;
  }

  private static String statusName(int code) {
    return code == 1 ? "OK" : code == 2 ? "ERROR" : "UNSET";
  }

  /** Events are rare (an exception, a retry): the generated parser reads them, and TraceMapper writes them. */
  private String events(List<int[]> ranges) throws Unusual {
    List<Span.Event> events = new ArrayList<>(ranges.size());
    try {
      for (int[] r : ranges) {
        events.add(Span.Event.parseFrom(ByteBuffer.wrap(buf, r[0], r[1] - r[0])));
      }
      return TraceMapper.events(events, "");
    } catch (InvalidProtocolBufferException | PayloadException e) {
      throw Unusual.INSTANCE;
    }
  }

  private boolean zero(int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** A KeyValue into {@code into}, as {@link AttributeValues#toMap} puts it: a later equal key replaces the value. */
  private void keyValue(Map<String, Object> into, int depth) throws Unusual {
    String key = "";
    Object value = null;
    boolean valueSeen = false;
    while (pos < limit) {
      int tag = tag();
      if (tag == field(1, 2)) {
        int end = length();
        key = text.key(buf, pos, end);
        pos = end;
      } else if (tag == field(2, 2)) {
        if (valueSeen) {
          throw Unusual.INSTANCE; // protobuf merges two values
        }
        valueSeen = true;
        int outer = open();
        value = anyValue(depth);
        close(outer);
      } else {
        skip(tag);
      }
    }
    into.put(key, value);
  }

  /** An AnyValue as {@link AttributeValues#toJava} gives it; null when it holds none. */
  private Object anyValue(int depth) throws Unusual {
    if (depth > MAX_DEPTH) {
      throw Unusual.INSTANCE;
    }
    Object value = null;
    boolean seen = false;
    while (pos < limit) {
      int tag = tag();
      if (tag >>> 3 >= 1 && tag >>> 3 <= 7 && seen) {
        throw Unusual.INSTANCE; // two cases of the oneof: protobuf keeps the last, merging messages
      }
      switch (tag) {
        case (1 << 3) | 2 -> value = string();
        case 2 << 3 -> value = varint() != 0;
        case 3 << 3 -> value = varint();
        case (4 << 3) | 1 -> value = Double.longBitsToDouble(fixed64());
        case (5 << 3) | 2 -> {
          int outer = open();
          List<Object> list = new ArrayList<>();
          each(1, () -> list.add(anyValue(depth + 1)));
          close(outer);
          value = list;
        }
        case (6 << 3) | 2 -> {
          int outer = open();
          Map<String, Object> map = new LinkedHashMap<>();
          each(1, () -> keyValue(map, depth + 1));
          close(outer);
          value = map;
        }
        case (7 << 3) | 2 -> {
          int end = length();
          value = Base64.getEncoder().encodeToString(Arrays.copyOfRange(buf, pos, end));
          pos = end;
        }
        default -> {
          // a known field with another wire type is an unknown field to protobuf, skipped
          skip(tag);
          continue;
        }
      }
      seen = true;
    }
    return value;
  }

  private static int field(int number, int wireType) {
    return (number << 3) | wireType;
  }

  /** A length-delimited text field, shared when short (see {@link TextTable}). */
  private String string() throws Unusual {
    int end = length();
    String s = text.value(buf, pos, end);
    pos = end;
    return s;
  }

  private int tag() throws Unusual {
    long tag = varint();
    if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
      throw Unusual.INSTANCE;
    }
    return (int) tag;
  }

  private long varint() throws Unusual {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw Unusual.INSTANCE;
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw Unusual.INSTANCE;
  }

  private long fixed64() throws Unusual {
    if (limit - pos < 8) {
      throw Unusual.INSTANCE;
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  /** Reads a length and returns where the field ends; the field must fit in the message being read. */
  private int length() throws Unusual {
    long length = varint();
    if (length < 0 || length > limit - pos) {
      throw Unusual.INSTANCE;
    }
    return pos + (int) length;
  }

  private void skip(int tag) throws Unusual {
    switch (tag & 7) {
      case 0 -> varint();
      case 1 -> {
        if (limit - pos < 8) {
          throw Unusual.INSTANCE;
        }
        pos += 8;
      }
      case 2 -> pos = length();
      case 5 -> {
        if (limit - pos < 4) {
          throw Unusual.INSTANCE;
        }
        pos += 4;
      }
      default -> throw Unusual.INSTANCE; // groups, and wire types protobuf refuses
    }
  }

  /**
   * Recently decoded texts by their bytes, one table per thread: an attribute key, or a short value,
   * comes back as the same string for every span that sends it. A slot holds one text; a miss replaces it.
   */
  static final class TextTable {
    private static final int SLOTS = 1024;
    /** Values longer than this are mostly unique (keys, statements): decoded each time, not kept. */
    private static final int MAX_SHARED_VALUE = 48;
    /** Keys longer than this are decoded each time too, so that the table holds at most 256 KiB of text. */
    private static final int MAX_SHARED_KEY = 256;
    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];

    String key(byte[] buf, int from, int to) throws Unusual {
      return to - from <= MAX_SHARED_KEY ? shared(buf, from, to) : decoded(buf, from, to);
    }

    String value(byte[] buf, int from, int to) throws Unusual {
      return to - from <= MAX_SHARED_VALUE ? shared(buf, from, to) : decoded(buf, from, to);
    }

    private String shared(byte[] buf, int from, int to) throws Unusual {
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + buf[i];
      }
      int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
      byte[] held = bytes[slot];
      if (held != null && Arrays.equals(held, 0, held.length, buf, from, to)) {
        return strings[slot];
      }
      String s = decoded(buf, from, to);
      bytes[slot] = Arrays.copyOfRange(buf, from, to);
      strings[slot] = s;
      return s;
    }

    private static String decoded(byte[] buf, int from, int to) throws Unusual {
      if (!wellFormed(buf, from, to)) {
        throw Unusual.INSTANCE; // the generated parser's path repairs it and says so
      }
      return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    /**
     * Whether the bytes are well-formed UTF-8 as protobuf requires of a {@code string}: no overlong form,
     * no surrogate, nothing past U+10FFFF (the Unicode standard's table of well-formed byte sequences).
     */
    static boolean wellFormed(byte[] b, int from, int to) {
      int i = from;
      while (i < to) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
          i++;
          continue;
        }
        int need;
        int low = 0x80;
        int high = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
          need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
          need = 2;
          low = c == 0xe0 ? 0xa0 : 0x80;
          high = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
          need = 3;
          low = c == 0xf0 ? 0x90 : 0x80;
          high = c == 0xf4 ? 0x8f : 0xbf;
        } else {
          return false;
        }
        if (to - i <= need) {
          return false;
        }
        int second = b[i + 1] & 0xff;
        if (second < low || second > high) {
          return false;
        }
        for (int k = 2; k <= need; k++) {
          int next = b[i + k] & 0xff;
          if (next < 0x80 || next > 0xbf) {
            return false;
          }
        }
        i += need + 1;
      }
      return true;
    }
  }
}
