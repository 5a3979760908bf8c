package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.reader.StoreReader;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** One reader for calls close together, closed once idle, never lent to two calls at once. */
class LingeringReadersTest {

  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();

  private StoreReader reader() {
    opened.incrementAndGet();
    return (StoreReader) Proxy.newProxyInstance(StoreReader.class.getClassLoader(), new Class<?>[] {StoreReader.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "close" -> {
            closed.incrementAndGet();
            yield null;
          }
          case "describe" -> "a store";
          default -> null;
        });
  }

  @Test
  void shouldKeepOneReaderBetweenCallsAndCloseItWhenIdle() {
    LingeringReaders readers = new LingeringReaders(this::reader, 300);
    for (int i = 0; i < 3; i++) {
      try (StoreReader r = readers.open()) {
        assertThat(r.describe()).isEqualTo("a store");
      }
    }
    assertThat(opened).hasValue(1);
    assertThat(closed).hasValue(0);
    Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> closed.get() == 1);
    try (StoreReader r = readers.open()) {
      assertThat(r.describe()).isEqualTo("a store");
    }
    assertThat(opened).hasValue(2);
  }

  @Test
  void shouldLendTheReaderToOneCallAtATime() throws Exception {
    LingeringReaders readers = new LingeringReaders(this::reader, 60_000);
    StoreReader first = readers.open();
    Thread second = new Thread(() -> readers.open().close());
    second.start();
    second.join(300);
    assertThat(second.isAlive()).as("the second call waits for the first").isTrue();
    first.close();
    second.join(5_000);
    assertThat(second.isAlive()).isFalse();
    assertThat(opened).hasValue(1);
  }
}
