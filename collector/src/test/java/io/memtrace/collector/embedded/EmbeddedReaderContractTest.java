package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreReaderContract;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;

/** The embedded DuckDB store answers the contract: spans written through its writer, read from the stopped store. */
class EmbeddedReaderContractTest extends StoreReaderContract {

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> payloads) throws Exception {
    TestStores.fill(dir, payloads.toArray(ExportTraceServiceRequest[]::new));
    return EmbeddedReader.local(new StoreFiles(dir));
  }
}
