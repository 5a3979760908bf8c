package io.memtrace.collector.query;

import java.util.ArrayList;
import java.util.List;

/** A source that keeps every statement run through it, in order, so a report can show what it ran; it closes nothing. */
public final class RecordingSource extends ForwardingSqlSource {

  private final List<String> statements = new ArrayList<>();
  private final boolean own;

  public RecordingSource(SqlSource source) {
    this(source, false);
  }

  /** @param own whether the statements are the collector's own, run as {@link SqlSource#queryOwn} */
  public RecordingSource(SqlSource source, boolean own) {
    super(source);
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
}
