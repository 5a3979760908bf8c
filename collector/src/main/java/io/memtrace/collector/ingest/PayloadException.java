package io.memtrace.collector.ingest;

/** A request the receiver refuses; carries the HTTP status and a message for the sender. */
public final class PayloadException extends Exception {

  private static final long serialVersionUID = 1L;

  public static final int BAD_REQUEST = 400;
  public static final int TOO_LARGE = 413;
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;

  private final int status;

  public PayloadException(int status, String message) {
    super(message);
    this.status = status;
  }

  public static PayloadException bad(String message) {
    return new PayloadException(BAD_REQUEST, message);
  }

  public int status() {
    return status;
  }
}
