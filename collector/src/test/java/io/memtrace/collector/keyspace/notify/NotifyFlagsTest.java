package io.memtrace.collector.keyspace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotifyFlagsTest {

  @Test
  void shouldSendNothingWhenTheSettingIsEmptyOrLacksAChannel() {
    assertThat(new NotifyFlags("").sendsAny()).isFalse();
    assertThat(new NotifyFlags(null).sendsAny()).isFalse();
    assertThat(new NotifyFlags("xe").sendsAny()).as("no K or E: no channel gets them").isFalse();
    assertThat(new NotifyFlags("E").sendsAny()).as("a channel but no class of event").isFalse();
    assertThat(new NotifyFlags("").unknown()).contains("expiries").contains("evictions").contains("outside");
  }

  @Test
  void shouldReadAAsEveryClassAndPickTheChannels() {
    NotifyFlags all = new NotifyFlags("AKE");
    assertThat(all.sendsAll()).isTrue();
    assertThat(all.missing()).isEmpty();
    assertThat(all.withNeeded()).isEqualTo("AKE");
    assertThat(all.keyevent()).isTrue();
    assertThat(new NotifyFlags("AK").keyevent()).as("K alone: the __keyspace channels").isFalse();
    assertThat(new NotifyFlags("AK").missing()).isEqualTo("E");
  }

  @Test
  void shouldAddOnlyWhatIsMissingAndKeepEveryFlagSet() {
    NotifyFlags partial = new NotifyFlags("xEm");
    assertThat(partial.sendsAny()).isTrue();
    assertThat(partial.sendsAll()).isFalse();
    assertThat(partial.missing()).isEqualTo("g$lshzet");
    assertThat(partial.withNeeded()).startsWith("xEm").contains("g", "$", "l", "s", "h", "z", "e", "t")
        .hasSize("xEm".length() + "g$lshzet".length());
    assertThat(partial.unknown()).isEqualTo("evictions, deletes and TTL changes, some writes");
  }
}
