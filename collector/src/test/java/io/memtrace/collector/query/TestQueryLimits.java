package io.memtrace.collector.query;

import io.memtrace.collector.store.StoreFiles;
import java.time.Duration;

/** Query limits for tests that compare answers rather than time them. */
public final class TestQueryLimits {

  /**
   * The default row and byte caps, with a query timeout that is only a hang guard: the default 30 s stopped a report
   * section read from the spans on ClickHouse at load 20, failing a test about the section's rows, not its speed.
   */
  public static final QueryLimits HANG_GUARD = new QueryLimits(Duration.ofMinutes(10), QueryLimits.DEFAULT.maxRows(),
      QueryLimits.DEFAULT.maxBytes());

  /** A stopped store read as the local commands read it, within {@link #HANG_GUARD}. */
  public static LocalSqlSource local(StoreFiles files) {
    return new LocalSqlSource(files, HANG_GUARD);
  }

  private TestQueryLimits() {}
}
