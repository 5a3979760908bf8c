package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.ValuesContract;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;

/** The embedded DuckDB store answers the captured-values contract: spans through its writer, read back read-only. */
class EmbeddedValuesContractTest extends ValuesContract {

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans) throws Exception {
    TestStores.fill(dir, spans);
    return EmbeddedReader.local(new StoreFiles(dir));
  }

  @Override
  protected String valuesTable() {
    return "key_value";
  }
}
