package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each waiter is told once: due when its wait is over, or stopped, at once, when the timer stops. */
class RetryTimerTest {

  /** Counts what it is told. */
  private static final class CountingWaiter implements RetryTimer.Waiter {
    final AtomicInteger due = new AtomicInteger();
    final AtomicInteger stopped = new AtomicInteger();

    @Override
    public void due() {
      due.incrementAndGet();
    }

    @Override
    public void stopped() {
      stopped.incrementAndGet();
    }
  }

  @Test
  void shouldTellAWaiterItIsDueOnceItsWaitIsOver() {
    RetryTimer timer = new RetryTimer("retry-timer-test");
    CountingWaiter waiter = new CountingWaiter();
    timer.after(10, waiter);
    await().atMost(120, TimeUnit.SECONDS).until(() -> waiter.due.get() == 1);
    assertThat(timer.waiting()).isZero();
    timer.stop();
    assertThat(waiter.stopped.get()).as("already told it was due").isZero();
    assertThat(waiter.due.get()).isEqualTo(1);
  }

  @Test
  void shouldTellEveryWaiterItStoppedBeforeStopReturns() {
    RetryTimer timer = new RetryTimer("retry-timer-test");
    CountingWaiter first = new CountingWaiter();
    CountingWaiter second = new CountingWaiter();
    timer.after(TimeUnit.HOURS.toMillis(1), first);
    timer.after(TimeUnit.HOURS.toMillis(1), second);
    assertThat(timer.waiting()).isEqualTo(2);

    timer.stop();

    assertThat(first.stopped.get()).isEqualTo(1);
    assertThat(second.stopped.get()).isEqualTo(1);
    assertThat(first.due.get() + second.due.get()).isZero();
    assertThat(timer.waiting()).isZero();
  }

  @Test
  void shouldTellAWaiterThatComesAfterStopThatItStopped() {
    RetryTimer timer = new RetryTimer("retry-timer-test");
    timer.stop();
    CountingWaiter late = new CountingWaiter();
    timer.after(10, late);
    assertThat(late.stopped.get()).isEqualTo(1);
    assertThat(late.due.get()).isZero();
    assertThat(timer.waiting()).isZero();
  }
}
