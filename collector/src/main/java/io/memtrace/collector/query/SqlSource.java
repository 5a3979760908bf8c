package io.memtrace.collector.query;

import java.util.function.Function;

/**
 * Where {@code query}, {@code traces} and {@code report} get their rows: a running server over
 * HTTP, or the data directory opened read-only when no server holds it.
 */
public interface SqlSource extends AutoCloseable {

  /** Runs one read-only query; failures are {@code CollectorException}s with the reason. */
  ResultTable query(String sql);

  /**
   * As {@link #query}, and the statement may read the captured values ({@code key_value}), which a query reads only
   * when its user asked ({@code query --include-values}).
   */
  default ResultTable queryWithValues(String sql) {
    return query(sql);
  }

  /**
   * Runs one of the collector's own read-only statements (a report section's), which a source reading the store in
   * this process need not check as it checks a user's ({@link QueryRunner#runOwn}); a server's API checks every
   * statement it gets.
   */
  default ResultTable queryOwn(String sql) {
    return query(sql);
  }

  /**
   * As {@link #queryOwn}, the rows handed to {@code reader} as a {@link RowCursor}. A source reading the store in this
   * process hands over the driver's rows as they come, with no row or byte cap (the statement bounds itself with its
   * {@code LIMIT}): for readers of many rows, such as a rebuild's. Any other source reads its capped answer first.
   */
  default <T> T readOwn(String sql, Function<RowCursor, T> reader) {
    return reader.apply(RowCursor.of(queryOwn(sql)));
  }

  /** Whether {@link #readOwn} streams its rows uncapped (a store read in this process). */
  default boolean streamsOwn() {
    return false;
  }

  /**
   * Asks a whole question of a reading command at once, where the source can (a running server's
   * {@code GET /api/answers/QUESTION}), so that the statements the command asks next for it are answered from that
   * one request, each as the server would have answered it alone; a statement it did not foresee is asked as usual.
   * Other sources answer each statement as it comes and ignore this.
   *
   * @param question the reading command's question: {@code traces} or {@code timeline}
   * @param params   its parameters by name (null values left out), never SQL
   */
  default void askAhead(String question, java.util.Map<String, String> params) {
  }

  /**
   * Spans a running collector had acknowledged and not yet loaded into its store when this source first asked
   * it: what its answers may lack. 0 when none, and for a store read directly, which says so itself.
   */
  default long pendingSpans() {
    return 0;
  }

  /** Where the rows come from, for messages. */
  String describe();

  @Override
  void close();

  /**
   * A source that answers each statement with {@code query} and is described as {@code description}; it holds nothing
   * of its own to close (whoever owns what {@code query} reads closes that).
   */
  static SqlSource of(String description, Function<String, ResultTable> query) {
    return new SqlSource() {
      @Override
      public ResultTable query(String sql) {
        return query.apply(sql);
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public void close() {
      }
    };
  }
}
