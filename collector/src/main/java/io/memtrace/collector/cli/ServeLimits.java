package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.store.MemoryLimit;
import picocli.CommandLine.Option;

/** The options of {@code serve} that bound what clients may hold: connections, time, memory. */
final class ServeLimits {

  /** The environment variable that sets the budget when {@code --memory} is not given. */
  static final String MEMORY_ENV = "MEMTRACE_MEMORY";

  @Option(names = "--memory", paramLabel = "SIZE",
      description = {"The collector's memory budget: DuckDB's memory limit is 2/5 of it (past it the store spills",
          "to disk or fails a query), the JVM heap 3/10 (-Xmx, unless you give one); serve's DuckDB runs on one",
          "thread. Without -Xmx, serve runs again as a child JVM that shares out the budget less 64MiB, the",
          "launcher's. Default: $" + MEMORY_ENV + ", else a quarter of the host's memory within [256MiB, 1GiB]."})
  String memory;

  @Option(names = "--header-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "Longest a client may take to send a request line and headers, all of them (default: ${DEFAULT-VALUE}).")
  String headerTimeout;

  @Option(names = "--body-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = {"Longest a client may take to send a request body, all of it, or leave an answer unread",
          "(default: ${DEFAULT-VALUE})."})
  String bodyTimeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Longest a kept-alive connection may wait for its next request (default: ${DEFAULT-VALUE}).")
  String idleTimeout;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "256",
      description = "Connections open at once; more are answered 503 and closed (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  FrontLimits front(long maxBody) {
    try {
      return new FrontLimits(Units.duration("--header-timeout", headerTimeout),
          Units.duration("--body-timeout", bodyTimeout), Units.duration("--idle-timeout", idleTimeout),
          maxConnections, FrontLimits.defaultBudget(maxBody));
    } catch (IllegalArgumentException e) {
      throw new CollectorException("--header-timeout, --body-timeout, --idle-timeout and --max-connections "
          + "must be positive");
    }
  }

  long memoryBytes() {
    return budget(memory, System.getenv(MEMORY_ENV));
  }

  /** The budget from {@code --memory}, else from the environment, else the default; checked. */
  static long budget(String option, String env) {
    boolean given = option != null;
    String text = given ? option : env;
    if (text == null || text.isBlank()) {
      return MemoryLimit.defaultBudget();
    }
    String source = given ? "--memory" : MEMORY_ENV;
    long bytes = Units.bytes(source, text);
    if (bytes < MemoryLimit.MIN_BUDGET) {
      throw new CollectorException(source + " " + text + " is below " + (MemoryLimit.MIN_BUDGET >> 20)
          + "MiB, too little for the store to compact its ingest table and the heap to hold two of the largest bodies");
    }
    return bytes;
  }
}
