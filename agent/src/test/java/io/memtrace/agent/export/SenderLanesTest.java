package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lanes on their own, with stand-in connections: bounds, hand-over and stop. */
class SenderLanesTest {

  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private SenderLanes lanes(int n, int maxWaiting) {
    return new SenderLanes(n, maxWaiting, () -> {
      opened.incrementAndGet();
      return new HttpPoster() {
        @Override
        public HttpAnswer post(byte[] body, int length) {
          return HttpAnswer.of(200, null, null);
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }, "test-lane");
  }

  /** A job that waits for the gate, then notes its name. */
  private SenderLanes.Job gated(String name) {
    return poster -> {
      await(gate);
      ran.add(name);
      return null;
    };
  }

  @Test
  void shouldRefuseAJobWhenEveryLaneIsBusyAndTheQueueIsFull() {
    SenderLanes lanes = lanes(2, 1);
    assertThat(lanes.submit(gated("a"))).isTrue();
    assertThat(lanes.submit(gated("b"))).isTrue();
    assertThat(lanes.submit(gated("c"))).as("queued").isTrue();
    assertThat(lanes.submit(gated("d"))).as("over the bound").isFalse();
    assertThat(lanes.busy()).isEqualTo(2);
    gate.countDown();
    lanes.stop();
  }

  @Test
  void shouldStartALaneOnlyWhenEveryStartedOneIsBusy() throws Exception {
    SenderLanes lanes = lanes(4, 4);
    for (int i = 0; i < 3; i++) {
      CountDownLatch done = new CountDownLatch(1);
      lanes.submit(poster -> () -> done.countDown());
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(lanes.started()).as("jobs one at a time share the first lane").isEqualTo(1);
    lanes.stop();
  }

  @Test
  void shouldFreeTheLaneBeforeRunningWhatTheJobLeftForAfter() throws Exception {
    SenderLanes lanes = lanes(1, 1);
    AtomicInteger busyDuringAfter = new AtomicInteger(-1);
    CountDownLatch done = new CountDownLatch(1);
    lanes.submit(poster -> () -> {
      busyDuringAfter.set(lanes.busy());
      done.countDown();
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(busyDuringAfter.get()).as("a waiter woken by the completion finds the lane free").isZero();
    lanes.stop();
  }

  @Test
  void shouldRunWhatIsQueuedAfterStopThenCloseEveryConnectionAndRefuseMore() {
    SenderLanes lanes = lanes(2, 4);
    for (String name : List.of("a", "b", "c", "d")) {
      lanes.submit(gated(name));
    }
    lanes.stop();
    assertThat(lanes.submit(gated("late"))).isFalse();
    gate.countDown();

    org.awaitility.Awaitility.await().atMost(120, TimeUnit.SECONDS).until(() -> closed.get() == 2);
    assertThat(ran).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(opened.get()).isEqualTo(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
