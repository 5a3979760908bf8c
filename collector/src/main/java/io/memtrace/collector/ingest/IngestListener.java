package io.memtrace.collector.ingest;

import io.memtrace.collector.store.SpanRow;
import java.util.List;

/** Told about spans once they are committed; used for the key-usage time series. */
@FunctionalInterface
public interface IngestListener {

  IngestListener NONE = spans -> { };

  void committed(List<SpanRow> spans);
}
