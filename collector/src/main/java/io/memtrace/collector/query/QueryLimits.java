package io.memtrace.collector.query;

import java.time.Duration;

/**
 * What one query may cost: how long it may run, and how many rows and bytes of result it may
 * return. A result over either bound is cut there and marked truncated, with the reason; a query
 * over its time is stopped with an error that says so.
 *
 * @param timeout   how long the query may run, reading its rows included
 * @param maxRows   rows returned at most
 * @param maxBytes  result bytes returned at most, counted as the text of each value
 */
public record QueryLimits(Duration timeout, int maxRows, long maxBytes) {

  /** 30 seconds, 100,000 rows, 32 MiB: the defaults of {@code serve} and of the local commands. */
  public static final QueryLimits DEFAULT = new QueryLimits(Duration.ofSeconds(30), 100_000, 32L << 20);

  public QueryLimits {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the query timeout must be positive, got " + timeout);
    }
    if (maxRows < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("result bounds must be positive");
    }
  }
}
