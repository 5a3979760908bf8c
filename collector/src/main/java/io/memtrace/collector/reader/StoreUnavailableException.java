package io.memtrace.collector.reader;

import io.memtrace.collector.CollectorException;

/** The store cannot answer at all right now (closing, failed, unreachable), as opposed to a question it refused. */
public class StoreUnavailableException extends CollectorException {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
