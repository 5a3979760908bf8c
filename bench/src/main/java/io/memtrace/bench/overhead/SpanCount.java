package io.memtrace.bench.overhead;

import java.nio.charset.StandardCharsets;
import java.util.function.ObjLongConsumer;

/**
 * Counts the spans of an OTLP {@code ExportTraceServiceRequest} in protobuf by walking the wire format: no object is
 * built but each scope's name, so that counting costs {@link DiscardSink} little of the machine it shares with what
 * it measures.
 */
final class SpanCount {

  private SpanCount() {
  }

  /**
   * Spans in an ExportTraceServiceRequest: resource_spans(1) → scope_spans(2) → spans(2); each
   * scope_spans' count also goes to {@code byScope} with its scope(1)'s name(1).
   */
  static long of(byte[] body, int length, ObjLongConsumer<String> byScope) {
    long count = 0;
    Wire request = new Wire(body, 0, length);
    while (request.next()) {
      if (request.field == 1 && request.isLength()) {
        Wire resource = request.nested();
        while (resource.next()) {
          if (resource.field == 2 && resource.isLength()) {
            count += countScopeSpans(resource.nested(), byScope);
          }
          resource.skip();
        }
      }
      request.skip();
    }
    return count;
  }

  private static long countScopeSpans(Wire scopeSpans, ObjLongConsumer<String> byScope) {
    long count = 0;
    String name = "";
    while (scopeSpans.next()) {
      if (scopeSpans.field == 2 && scopeSpans.isLength()) {
        count++;
      } else if (scopeSpans.field == 1 && scopeSpans.isLength()) {
        Wire scope = scopeSpans.nested();
        while (scope.next()) {
          if (scope.field == 1 && scope.isLength()) {
            name = scope.string();
          }
          scope.skip();
        }
      }
      scopeSpans.skip();
    }
    if (count > 0) {
      byScope.accept(name, count);
    }
    return count;
  }

  /** A cursor over one protobuf message's fields. */
  private static final class Wire {
    private final byte[] buf;
    private int pos;
    private final int end;
    int field;
    private int wireType;
    private int valueStart;
    private int valueLength;

    Wire(byte[] buf, int start, int end) {
      this.buf = buf;
      this.pos = start;
      this.end = end;
    }

    boolean next() {
      if (pos >= end) {
        return false;
      }
      long tag = varint();
      field = (int) (tag >>> 3);
      wireType = (int) (tag & 7);
      switch (wireType) {
        case 0:
          varint();
          valueLength = 0;
          break;
        case 1:
          pos += 8;
          break;
        case 2:
          valueLength = (int) varint();
          valueStart = pos;
          break;
        case 5:
          pos += 4;
          break;
        default:
          throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
      if (pos > end) {
        throw new IllegalArgumentException("truncated message");
      }
      return true;
    }

    boolean isLength() {
      return wireType == 2;
    }

    Wire nested() {
      return new Wire(buf, valueStart, valueStart + valueLength);
    }

    String string() {
      if (valueStart + valueLength > end) {
        throw new IllegalArgumentException("truncated message");
      }
      return new String(buf, valueStart, valueLength, StandardCharsets.UTF_8);
    }

    void skip() {
      if (wireType == 2) {
        pos = valueStart + valueLength;
        if (pos > end) {
          throw new IllegalArgumentException("truncated message");
        }
      }
    }

    private long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = buf[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }
  }
}
