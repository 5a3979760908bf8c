package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The end of an observed model span waits for its links, never longer than the bound, and counts a late one. */
class ObservedModelHooksTest {

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // a hang guard: the last latch is never counted down
  void shouldEndAtOnceWhenTheLinksAreThereAndCountASpanThatWaitedInVain() {
    CountDownLatch done = new CountDownLatch(1);
    done.countDown();
    long before = ObservedModelHooks.late();
    long start = System.nanoTime();
    ObservedModelHooks.stopping(done);
    ObservedModelHooks.stopping(null); // an observation memtrace gave no latch: nothing to wait for
    ObservedModelHooks.stopping("not a latch");
    assertThat(ObservedModelHooks.late()).isEqualTo(before);

    ObservedModelHooks.stopping(new CountDownLatch(1)); // the consumer never came
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(ObservedModelHooks.late()).isEqualTo(before + 1);
    // the latch is never counted down: returning at all is giving up; how soon after WAIT_MILLIS depends on the load
    assertThat(waitedMillis).isGreaterThanOrEqualTo(ObservedModelHooks.WAIT_MILLIS);
  }

  @Test
  void shouldPublishNothingForAnObservationThatIsNoChatModelCall() {
    assertThat(ObservedModelHooks.started(new Object(), new Object())).isNull();
    assertThat(ObservedModelHooks.started(new Object(), null)).isNull();
  }
}
