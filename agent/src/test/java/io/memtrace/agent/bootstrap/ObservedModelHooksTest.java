package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The end of an observed model span never waits for its links, and counts a span that ends without them. */
class ObservedModelHooksTest {

  @Test
  void shouldNeverWaitAndCountASpanThatEndsBeforeItsLinks() {
    CountDownLatch done = new CountDownLatch(1);
    done.countDown();
    long before = ObservedModelHooks.late();
    ObservedModelHooks.stopping(done);
    ObservedModelHooks.stopping(null); // an observation memtrace gave no latch: nothing to wait for
    ObservedModelHooks.stopping("not a latch");
    assertThat(ObservedModelHooks.late()).isEqualTo(before);

    ObservedModelHooks.stopping(new NeverAwaited()); // the consumer has not come yet
    assertThat(ObservedModelHooks.late()).isEqualTo(before + 1);
  }

  /** A latch not counted down, that fails whoever waits on it: the application's thread must not. */
  private static final class NeverAwaited extends CountDownLatch {
    NeverAwaited() {
      super(1);
    }

    @Override
    public void await() {
      throw new AssertionError("the application's thread waited for the links");
    }

    @Override
    public boolean await(long timeout, java.util.concurrent.TimeUnit unit) {
      throw new AssertionError("the application's thread waited for the links");
    }
  }

  @Test
  void shouldPublishNothingForAnObservationThatIsNoChatModelCall() {
    assertThat(ObservedModelHooks.started(new Object(), new Object())).isNull();
    assertThat(ObservedModelHooks.started(new Object(), null)).isNull();
  }
}
