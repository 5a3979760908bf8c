package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanRingTest {

  @Test
  void shouldSayItHasEventsOnceOneIsPublishedEvenBeforeAnyConsumer() {
    SpanRing ring = SpanRing.create(64);
    assertThat(ring.hasEvents()).isFalse();

    assertThat(PipelineFixture.publishGet(ring)).isTrue();

    assertThat(ring.hasEvents()).isTrue();
    assertThat(ring.unconsumed()).isEqualTo(1);
  }
}
