package io.memtrace.collector.server.http;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of request bodies the front may hold at once; see {@link FrontLimits#bufferBudget()}. */
final class MemoryBudget {

  private final AtomicLong available;

  MemoryBudget(long bytes) {
    this.available = new AtomicLong(bytes);
  }

  boolean tryReserve(long bytes) {
    long now;
    do {
      now = available.get();
      if (now < bytes) {
        return false;
      }
    } while (!available.compareAndSet(now, now - bytes));
    return true;
  }

  void release(long bytes) {
    available.addAndGet(bytes);
  }

  long available() {
    return available.get();
  }
}
