package io.memtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which throwables end the process (so a supervisor restarts it) and which only end a piece of work. */
class FailuresTest {

  private final List<Integer> exits = new CopyOnWriteArrayList<>();
  private IntConsumer previous;

  @BeforeEach
  void catchExits() {
    previous = Failures.exitWith(exits::add);
  }

  @AfterEach
  void restore() {
    Failures.exitWith(previous);
  }

  @Test
  void shouldExitNonZeroWhenALongLivedThreadRunsOutOfMemory() {
    Failures.inThread(new OutOfMemoryError("Java heap space"));

    assertThat(exits).containsExactly(Failures.EXIT_FATAL);
  }

  @Test
  void shouldCountAndCarryOnAfterAnyOtherThrowableInALongLivedThread() {
    long before = Failures.count();

    Failures.inThread(new IllegalStateException("boom"));
    Failures.inThread(new LinkageError("odd"));

    assertThat(exits).isEmpty();
    assertThat(Failures.count()).isEqualTo(before + 2);
  }

  @Test
  void shouldFailOnlyTheRequestThatRanOutOfMemoryOrStack() {
    Failures.inRequest("POST /api/query", new OutOfMemoryError("Java heap space"));
    Failures.inRequest("POST /v1/traces", new StackOverflowError());
    assertThat(exits).isEmpty();

    Failures.inRequest("POST /v1/traces", new InternalError("broken JVM"));
    assertThat(exits).containsExactly(Failures.EXIT_FATAL);
  }

  @Test
  void shouldExitWhenAThreadDiesOfAnUncaughtOutOfMemoryError() throws Exception {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    try {
      Failures.install();
      Thread thread = new Thread(() -> {
        throw new OutOfMemoryError("Java heap space");
      }, "memtrace-test-dying");
      thread.start();
      thread.join(5_000);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    assertThat(exits).containsExactly(Failures.EXIT_FATAL);
  }

  @Test
  void shouldExitWhenAWatchedThreadEndsWhileItIsStillNeeded() throws Exception {
    Thread needed = new Thread(() -> { }, "memtrace-test-needed");
    // the retired thread ends only once retired: ended while still watched, it would rightly be a fatal end
    java.util.concurrent.CountDownLatch retiredYet = new java.util.concurrent.CountDownLatch(1);
    Thread retired = new Thread(() -> {
      try {
        retiredYet.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "memtrace-test-retired");
    Thread watcher = CriticalThreads.startWatcher();
    try {
      retired.start();
      CriticalThreads.watch(retired);
      CriticalThreads.retire(retired);
      retiredYet.countDown();
      retired.join();
      Thread.sleep(300);
      assertThat(exits).as("a retired thread may end").isEmpty();

      needed.start();
      CriticalThreads.watch(needed);
      needed.join();
      long until = System.nanoTime() + 5_000_000_000L;
      while (exits.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(exits).first().isEqualTo(Failures.EXIT_FATAL);
    } finally {
      CriticalThreads.retire(needed);
      watcher.interrupt();
      watcher.join(5_000);
    }
  }
}
