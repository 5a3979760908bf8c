package io.memtrace.collector.query;

import io.memtrace.collector.CollectorException;

/** A query the {@link QueryWatchdog} stopped: past its timeout, or its client gone. The message says which. */
public final class QueryStopped extends CollectorException {

  private static final long serialVersionUID = 1L;

  /** Whether the client went away (nobody waits for the answer), not the timeout. */
  private final boolean clientGone;

  QueryStopped(String reason, boolean clientGone) {
    super("query stopped: " + reason);
    this.clientGone = clientGone;
  }

  public boolean clientGone() {
    return clientGone;
  }
}
