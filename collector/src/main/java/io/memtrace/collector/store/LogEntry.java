package io.memtrace.collector.store;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A request's record in the ingest log ({@link IngestLog}): its body until the log's thread has written it, where it
 * was written ({@link LogSegments}), its rows for the writer, and the future its sender waits on.
 */
final class LogEntry {
  final boolean json;
  /** The body until it is written; then null, so that the queue of requests to load holds no body. */
  byte[] body;
  final int bodyLength;
  final int spans;
  final long receivedMicros;
  /** The rows, worked out on the request's thread; null once handed over uncached, or after a restart. */
  PreparedSpans prepared;
  final CompletableFuture<Void> durable = new CompletableFuture<>();
  long position;
  Path segment;
  long offset;
  int recordBytes;
  boolean cached;
  /** Set by the writer's thread only. */
  boolean loaded;

  LogEntry(boolean json, byte[] body, int spans, long receivedMicros, PreparedSpans prepared) {
    this.json = json;
    this.body = body;
    this.bodyLength = body == null ? 0 : body.length;
    this.spans = spans;
    this.receivedMicros = receivedMicros;
    this.prepared = prepared;
  }
}
