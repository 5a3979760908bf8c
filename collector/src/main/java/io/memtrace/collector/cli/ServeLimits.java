package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.store.MemoryLimit;
import picocli.CommandLine.Option;

/** The options of {@code serve} that bound what clients may hold: connections, time, memory. */
final class ServeLimits {

  @Option(names = "--memory", paramLabel = "SIZE",
      description = {"DuckDB's memory limit: what the store may hold in native memory before it spills to disk",
          "or fails a query (default: a quarter of the host's memory, at least 256MiB). The JVM heap is -Xmx."})
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
    if (memory == null) {
      return MemoryLimit.defaultBytes();
    }
    long bytes = Units.bytes("--memory", memory);
    if (bytes < MemoryLimit.MIN_BYTES) {
      throw new CollectorException("--memory " + memory + " is below " + (MemoryLimit.MIN_BYTES >> 20)
          + "MiB, too little for the store to compact its ingest table");
    }
    return bytes;
  }
}
