package io.memtrace.collector.query;

/**
 * Where {@code query}, {@code traces} and {@code report} get their rows: a running server over
 * HTTP, or the data directory opened read-only when no server holds it.
 */
public interface SqlSource extends AutoCloseable {

  /** Runs one read-only query; failures are {@code CollectorException}s with the reason. */
  ResultTable query(String sql);

  /** Where the rows come from, for messages. */
  String describe();

  @Override
  void close();
}
