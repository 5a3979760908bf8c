package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.keyspace.WatchMode;
import io.memtrace.collector.keyspace.notify.EventsMode;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void shouldReadAChoiceInAnyCaseAndNameTheChoicesWhenItIsNoneOfThem() {
    assertThat(Units.choice("--watch-mode", " Sampled", WatchMode.class)).isEqualTo(WatchMode.SAMPLED);
    assertThat(Units.choice("--keyspace-events", "OFF", EventsMode.class)).isEqualTo(EventsMode.OFF);
    assertThatThrownBy(() -> Units.choice("--watch-mode", "some", WatchMode.class))
        .hasMessage("--watch-mode must be full, sampled or auto, got some");
    assertThatThrownBy(() -> Units.choice("--keyspace-events", "yes", EventsMode.class))
        .hasMessage("--keyspace-events must be on, off or auto, got yes");
  }
}
