package io.memtrace.collector.query;

import java.util.ArrayList;
import java.util.List;

/** A source that keeps every statement run through it, in order, so a report can show what it ran; it closes nothing. */
public final class RecordingSource implements SqlSource {

  private final SqlSource source;
  private final List<String> statements = new ArrayList<>();

  public RecordingSource(SqlSource source) {
    this.source = source;
  }

  /** The statements run so far. */
  public List<String> statements() {
    return statements;
  }

  @Override
  public ResultTable query(String sql) {
    statements.add(sql);
    return source.query(sql);
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
