package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.pipeline.PipelineFixture;
import io.memtrace.agent.pipeline.SpanRing;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When the consumer's build stops waiting: at an event, or once the application has stopped loading classes, never
 * while it is still loading them (short of the longest wait).
 */
class BuildDeferralTest {

  private final SpanRing ring = SpanRing.create(64);

  @Test
  void shouldGoAheadAtOnceWhenAnEventWaitsInTheRing() {
    assertThat(PipelineFixture.publishGet(ring)).isTrue();
    AtomicInteger asked = new AtomicInteger();

    assertThat(BuildDeferral.await(ring, asked::incrementAndGet)).isEqualTo("something to report");
    assertThat(asked).as("asked once, before the first look").hasValue(1);
  }

  @Test
  void shouldWaitWhileClassesLoadAndGoAheadOnceTheyStop() {
    int loading = 100; // looks that each find a class loaded since the one before (0.5 s at least)
    AtomicInteger looks = new AtomicInteger();

    String why = BuildDeferral.await(ring, () -> Math.min(looks.incrementAndGet(), loading));

    assertThat(why).isEqualTo("no event, no class loaded for " + BuildDeferral.QUIET_MILLIS + " ms");
    assertThat(looks.get()).as("it went on looking after the last class loaded").isGreaterThan(loading);
  }
}
