package io.memtrace.collector;

/** A problem the user can act on; the CLI prints its message alone, without a stack trace. */
public class CollectorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CollectorException(String message) {
    super(message);
  }

  public CollectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
