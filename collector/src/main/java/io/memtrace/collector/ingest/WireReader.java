package io.memtrace.collector.ingest;

/**
 * A cursor over protobuf's wire format in a byte array, checking what protobuf's own parser checks: no field may run
 * past the end of the message it is in (the limit), a varint has at most ten bytes, a tag names a field, and groups
 * and unknown wire types are refused. What it refuses throws {@link UncommonPayload}. One reader per body and thread.
 */
final class WireReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH = 2;

  private final byte[] buf;
  private int pos;
  /** Where the message being read ends: no field of it may run past, as protobuf checks. */
  private int limit;

  WireReader(byte[] buf) {
    this.buf = buf;
    this.limit = buf.length;
  }

  /** The tag of field {@code number} sent with {@code wireType}. */
  static int field(int number, int wireType) {
    return (number << 3) | wireType;
  }

  /** One length-delimited field of a message, read with its end as the limit. */
  @FunctionalInterface
  interface Part {
    void read() throws UncommonPayload;
  }

  /** Whether the message being read has more fields. */
  boolean more() {
    return pos < limit;
  }

  int position() {
    return pos;
  }

  /** Moves to {@code position}, within the message being read: back to read it again, or past a field read. */
  void seek(int position) {
    pos = position;
  }

  /** Reads a length, and makes the field's end the limit; returns the limit it replaces, for {@link #close}. */
  int open() throws UncommonPayload {
    int end = length();
    int outer = limit;
    limit = end;
    return outer;
  }

  /** Steps past the message opened last, and puts back the limit it replaced. */
  void close(int outer) {
    pos = limit;
    limit = outer;
  }

  /** Reads every field {@code number} of the message being read with {@code part}, in order, and skips the others. */
  void each(int number, Part part) throws UncommonPayload {
    while (pos < limit) {
      int tag = tag();
      if (tag == field(number, LENGTH)) {
        int outer = open();
        part.read();
        close(outer);
      } else {
        skip(tag);
      }
    }
  }

  int tag() throws UncommonPayload {
    long tag = varint();
    if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
      throw UncommonPayload.INSTANCE;
    }
    return (int) tag;
  }

  long varint() throws UncommonPayload {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw UncommonPayload.INSTANCE;
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw UncommonPayload.INSTANCE;
  }

  long fixed64() throws UncommonPayload {
    if (limit - pos < 8) {
      throw UncommonPayload.INSTANCE;
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  /** Reads a length and returns where the field ends; the field must fit in the message being read. */
  int length() throws UncommonPayload {
    long length = varint();
    if (length < 0 || length > limit - pos) {
      throw UncommonPayload.INSTANCE;
    }
    return pos + (int) length;
  }

  /** Steps past the value of a field whose tag was read, as protobuf skips an unknown field. */
  void skip(int tag) throws UncommonPayload {
    switch (tag & 7) {
      case VARINT -> varint();
      case FIXED64 -> {
        if (limit - pos < 8) {
          throw UncommonPayload.INSTANCE;
        }
        pos += 8;
      }
      case LENGTH -> pos = length();
      case 5 -> {
        if (limit - pos < 4) {
          throw UncommonPayload.INSTANCE;
        }
        pos += 4;
      }
      default -> throw UncommonPayload.INSTANCE; // groups, and wire types protobuf refuses
    }
  }
}
