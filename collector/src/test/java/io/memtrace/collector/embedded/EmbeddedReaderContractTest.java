package io.memtrace.collector.embedded;

import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreReaderContract;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The embedded DuckDB store answers the contract: payloads written through its writer, read from the stopped store. */
class EmbeddedReaderContractTest extends StoreReaderContract {

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans, List<ExportMetricsServiceRequest> metrics)
      throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, spans);
      for (ExportMetricsServiceRequest request : metrics) {
        store.writer().writeMetrics(MetricMapper.map(request)).get(30, TimeUnit.SECONDS);
      }
    }
    return EmbeddedReader.local(new StoreFiles(dir));
  }
}
