package io.memtrace.collector.store;

import io.memtrace.collector.ingest.TraceMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Opens stores for tests, optionally without the background compactor so the ingest tail stays put. */
public final class TestStores {

  private TestStores() {
  }

  public static SpanStore open(Path dir, boolean compact) {
    return SpanStore.open(new StoreFiles(dir), compact);
  }

  public static void write(SpanStore store, ExportTraceServiceRequest request) throws Exception {
    store.writer().writeSpans(TraceMapper.map(request)).get(30, TimeUnit.SECONDS);
  }

  /** Writes the request into a closed store at {@code dir}, fully compacted. */
  public static void fill(Path dir, ExportTraceServiceRequest... requests) throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      for (ExportTraceServiceRequest r : requests) {
        write(store, r);
      }
    }
  }
}
