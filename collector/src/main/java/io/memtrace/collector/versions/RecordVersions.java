package io.memtrace.collector.versions;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.RedisAddress;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValuesRequest;
import java.util.List;

/**
 * A record's versions as a store answers them: its captured values and its timeline, read through the one store
 * interface, so {@code timeline --versions} and {@code GET /api/keys/{key}/versions} give the same answer from any
 * store.
 */
public final class RecordVersions {

  /** The most captured values of one key read for one answer (all of them are applied, the newest shown). */
  public static final int MAX_VALUES = 100_000;

  private RecordVersions() {
  }

  /**
   * The newest {@code request.limit()} versions of the request's key, in its namespace and Redis when given. The
   * whole timeline the store keeps ({@link TimelineRequest#MAX_LIMIT} events) gives the writes not captured and
   * the removals.
   */
  public static KeyVersions read(StoreReader reader, TimelineRequest request) {
    KeyTimeline timeline = reader.timeline(new TimelineRequest(request.key(), request.namespace(), request.redis(),
        TimelineRequest.MAX_LIMIT));
    List<CapturedValue> values = reader.capturedValues(new ValuesRequest(request.key(), null, null, null,
        MAX_VALUES + 1));
    boolean cut = values.size() > MAX_VALUES;
    List<CapturedValue> ofRecord = values.stream().limit(MAX_VALUES)
        .filter(v -> request.namespace() == null || request.namespace().equals(v.namespace()))
        .filter(v -> request.redis() == null || RedisAddress.same(request.redis(), v.redis()))
        .toList();
    return VersionHistory.build(request.key(), ofRecord, timeline, request.limit(), cut);
  }
}
