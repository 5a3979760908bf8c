package io.memtrace.collector.query;

import java.util.ArrayList;
import java.util.List;

/** A source that keeps every statement run through it, in order, so a report can show what it ran; it closes nothing. */
public final class RecordingSource implements SqlSource {

  private final SqlSource source;
  private final List<String> statements = new ArrayList<>();
  private final boolean own;

  public RecordingSource(SqlSource source) {
    this(source, false);
  }

  /** @param own whether the statements are the collector's own, run as {@link SqlSource#queryOwn} */
  public RecordingSource(SqlSource source, boolean own) {
    this.source = source;
    this.own = own;
  }

  /** The statements run so far. */
  public List<String> statements() {
    return statements;
  }

  @Override
  public ResultTable query(String sql) {
    statements.add(sql);
    return own ? source.queryOwn(sql) : source.query(sql);
  }

  @Override
  public long pendingSpans() {
    return source.pendingSpans();
  }

  @Override
  public String describe() {
    return source.describe();
  }

  @Override
  public void close() {
    // the owner of the source closes it
  }
}
