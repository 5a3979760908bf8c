package io.memtrace.collector.embedded;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultTable;
import java.util.List;

/**
 * A lineage section whose query did not finish (the query timeout, on a store of many millions of Redis
 * spans): the report still prints, and the section says why it is empty and how to make it smaller.
 */
final class Unfinished {

  static final ResultTable EMPTY = new ResultTable(List.of(), List.of(), false);

  private Unfinished() {
  }

  static String note(CollectorException e) {
    return "Not computed: " + e.getMessage() + ". Joining every read to its write takes longest over the Redis layer "
        + "of a large store; narrow it with --since, or query the lineage view for the keys you need.";
  }
}
