package io.memtrace.agent.bootstrap;

/**
 * What memtrace needs of a reply, measured from its RESP bytes as they were read, for a client
 * that hands the application only decoded objects (Redisson's codecs turn a value into whatever
 * the application stored): the bytes of data it held and what it says about finding data. The
 * same questions {@code RedisReply} answers from a raw reply, answered once on the wire.
 */
public final class MeasuredReply {

  /** Bytes of data (bulk and simple strings, nested in aggregates), or -1 when it holds none. */
  final long bytes;
  /** Not nil, and an aggregate with at least one element that is not nil (a map: not empty). */
  final boolean present;
  /**
   * An integer above zero, or an aggregate with one among its elements; null for a reply that is
   * neither an integer nor an aggregate.
   */
  final Boolean counted;
  /** An aggregate whose first element is an integer: whether it is above zero; else null. */
  final Boolean firstCount;

  /**
   * An error reply's text as Redis wrote it ({@code MOVED 3999 127.0.0.1:7002}), cut at
   * {@link RespReplies#MAX_ERROR_TEXT} characters; null for any other reply. A client's exception
   * for it may carry no message (Redisson's for MOVED and ASK) or more than Redis said.
   */
  final String errorText;

  MeasuredReply(long bytes, boolean present, Boolean counted, Boolean firstCount, String errorText) {
    this.bytes = bytes;
    this.present = present;
    this.counted = counted;
    this.firstCount = firstCount;
    this.errorText = errorText;
  }

  public long bytes() {
    return bytes;
  }

  public boolean present() {
    return present;
  }

  public Boolean counted() {
    return counted;
  }

  public Boolean firstCount() {
    return firstCount;
  }

  public String errorText() {
    return errorText;
  }

  @Override
  public String toString() {
    return "MeasuredReply[bytes=" + bytes + ", present=" + present + ", counted=" + counted
        + ", firstCount=" + firstCount + ", errorText=" + errorText + "]";
  }
}
