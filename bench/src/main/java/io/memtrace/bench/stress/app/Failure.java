package io.memtrace.bench.stress.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first fatal error of any thread of the run (an {@link OutOfMemoryError}, a bug), so that the
 * main thread stops the run early and reports it instead of the thread dying unseen.
 */
final class Failure {

  private final AtomicReference<Throwable> first = new AtomicReference<>();
  private final CountDownLatch happened = new CountDownLatch(1);

  void record(Throwable t) {
    first.compareAndSet(null, t);
    happened.countDown();
  }

  /** Waits up to {@code millis}; true when a failure ended the wait. */
  boolean await(long millis) throws InterruptedException {
    return happened.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The first failure, or null. */
  Throwable cause() {
    return first.get();
  }

  boolean outOfMemory() {
    return first.get() instanceof OutOfMemoryError;
  }
}
