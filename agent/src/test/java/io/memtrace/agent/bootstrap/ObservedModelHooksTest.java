package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The end of an observed model span waits for its links, never longer than the bound, and counts a late one. */
class ObservedModelHooksTest {

  @Test
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
    assertThat(waitedMillis).isGreaterThanOrEqualTo(ObservedModelHooks.WAIT_MILLIS).isLessThan(5_000);
  }

  @Test
  void shouldPublishNothingForAnObservationThatIsNoChatModelCall() {
    assertThat(ObservedModelHooks.started(new Object(), new Object())).isNull();
    assertThat(ObservedModelHooks.started(new Object(), null)).isNull();
  }
}
