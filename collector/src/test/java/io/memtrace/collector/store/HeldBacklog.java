package io.memtrace.collector.store;

import io.memtrace.collector.ingest.OtlpIngest;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A backlog that stays put: the store's writer is held on one logged request until {@link #close}, and every
 * request acknowledged after it waits behind it, as behind a burst the store cannot load as fast as it comes. A
 * real burst loads as fast as the machine allows, which on a shared machine is anything; a test that must read
 * while spans wait needs them held.
 */
public final class HeldBacklog implements AutoCloseable {

  /** The longest the writer is held when a test fails before it lets go. */
  private static final long MAX_HOLD_MINUTES = 5;

  private final CountDownLatch released = new CountDownLatch(1);

  private HeldBacklog() {
  }

  /**
   * Logs {@code body} (an OTLP protobuf trace request) in the store's ingest log, acknowledged as a request would
   * be; the writer stops when it comes to load it, until {@link #close}. The store's log must be empty, so that the
   * rows are handed to the writer from memory and not decoded again from disk.
   */
  public static HeldBacklog hold(SpanStore store, byte[] body) throws Exception {
    HeldBacklog held = new HeldBacklog();
    List<SpanRow> rows = OtlpIngest.decodeSpans(false, body);
    PreparedSpans prepared = onLoad(rows, held::awaitRelease);
    store.ingestLog().append(false, body, rows.size(), () -> prepared, System.currentTimeMillis() * 1000)
        .get(30, TimeUnit.SECONDS);
    return held;
  }

  /** The rows prepared as a request's thread prepares them, with {@code onLoad} run when the writer loads them. */
  static PreparedSpans onLoad(List<SpanRow> rows, Runnable onLoad) {
    Map<String, Set<String>> types = PreparedSpans.of(rows).types;
    return PreparedSpans.of(rows).withTypes(new AbstractMap<>() {
      @Override
      public Set<Entry<String, Set<String>>> entrySet() {
        onLoad.run();
        return types.entrySet();
      }
    });
  }

  private void awaitRelease() {
    try {
      released.await(MAX_HOLD_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets the writer load the held request and everything behind it. */
  @Override
  public void close() {
    released.countDown();
  }
}
