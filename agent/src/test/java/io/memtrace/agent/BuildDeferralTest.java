package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.pipeline.PipelineFixture;
import io.memtrace.agent.pipeline.SpanRing;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

    AtomicLong cpu = new AtomicLong();

    String why = BuildDeferral.await(ring, () -> Math.min(looks.incrementAndGet(), loading),
        () -> cpu.addAndGet(TimeUnit.MILLISECONDS.toNanos(5)), BuildDeferral.MAX_MILLIS); // an application running

    assertThat(why).isEqualTo("no event, no class loaded for " + BuildDeferral.QUIET_MILLIS + " ms and then "
        + BuildDeferral.QUIET_CPU_MILLIS + " ms of CPU");
    assertThat(looks.get()).as("it went on looking after the last class loaded").isGreaterThan(loading);
  }

  @Test
  void shouldNotTakeAStarvedApplicationForAQuietOne() {
    AtomicInteger looks = new AtomicInteger();
    long maxMillis = 2 * BuildDeferral.MIN_MILLIS;

    // no class loaded, and no CPU used either: an application that gets no core on a loaded machine
    String why = BuildDeferral.await(ring, () -> looks.incrementAndGet() > 0 ? 1 : 0, () -> 1_000_000_000L, maxMillis);

    assertThat(why).isEqualTo("no event, the application not quiet after " + maxMillis + " ms");
  }

  @Test
  void shouldReadTheProcesssCpuTime() {
    long before = BuildDeferral.processCpuNanos();
    long spent = 0;
    while (BuildDeferral.processCpuNanos() - before < TimeUnit.MILLISECONDS.toNanos(20)) {
      spent += Long.numberOfTrailingZeros(System.nanoTime()); // work, so that the process's CPU time grows
    }
    assertThat(before).isPositive();
    assertThat(spent).isNotNegative();
  }
}
