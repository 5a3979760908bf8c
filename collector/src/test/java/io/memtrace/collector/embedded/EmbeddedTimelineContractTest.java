package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineContract;
import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;

/** The embedded DuckDB store answers the timeline contract: spans through its writer, notification rows inserted. */
class EmbeddedTimelineContractTest extends TimelineContract {

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans, List<TimelineFixtures.Note> notifications,
      List<TimelineFixtures.Status> statuses) throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      for (ExportTraceServiceRequest request : spans) {
        TestStores.write(store, request);
      }
    }
    EmbeddedTimelineRows.insert(dir, notifications, statuses);
    return EmbeddedReader.local(new StoreFiles(dir));
  }
}
