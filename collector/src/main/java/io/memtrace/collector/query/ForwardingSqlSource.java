package io.memtrace.collector.query;

/**
 * A source that passes its statements on to another and watches or changes them on the way ({@link #query}): records
 * them ({@link RecordingSource}), times them, rewrites them. It is described as that source and tells its pending
 * spans. A statement of the collector's own ({@link #queryOwn}) comes through {@link #query}, as for any source,
 * unless a subclass passes it on otherwise. It closes nothing: the owner of the source closes it.
 */
public abstract class ForwardingSqlSource implements SqlSource {

  /** The source the statements go on to. */
  protected final SqlSource source;

  protected ForwardingSqlSource(SqlSource source) {
    this.source = source;
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
