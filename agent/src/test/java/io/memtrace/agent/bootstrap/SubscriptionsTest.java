package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {

  private final Subscriptions subscriptions = new Subscriptions();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<Object> reply(String kind, String channel, long count) {
    return List.of(bytes(kind), bytes(channel), count);
  }

  @Test
  void shouldTellPushedMessagesFromConfirmationsAndFromOrdinaryReplies() {
    assertThat(Subscriptions.kind(List.of(bytes("message"), bytes("c"), bytes("m")))).isEqualTo(Subscriptions.MESSAGE);
    assertThat(Subscriptions.kind(List.of(bytes("pmessage"), bytes("p"), bytes("c"), bytes("m")))).isEqualTo(Subscriptions.MESSAGE);
    assertThat(Subscriptions.kind(List.of(bytes("smessage"), bytes("c"), bytes("m")))).isEqualTo(Subscriptions.MESSAGE);
    assertThat(Subscriptions.kind(reply("subscribe", "c", 1))).isEqualTo(Subscriptions.CHANNEL);
    assertThat(Subscriptions.kind(reply("punsubscribe", "p", 0))).isEqualTo(Subscriptions.PATTERN + 4);
    assertThat(Subscriptions.kind(reply("ssubscribe", "c", 1))).isEqualTo(Subscriptions.SHARD);
    assertThat(Subscriptions.kind(List.of(bytes("pong"), bytes("")))).isEqualTo(Subscriptions.NOT_PUB_SUB);
    assertThat(Subscriptions.kind(bytes("PONG"))).isEqualTo(Subscriptions.NOT_PUB_SUB);
    assertThat(Subscriptions.kind(List.of())).isEqualTo(Subscriptions.NOT_PUB_SUB);
    assertThat(Subscriptions.kind(List.of(1L, 2L))).isEqualTo(Subscriptions.NOT_PUB_SUB);
    assertThat(Subscriptions.kind(null)).isEqualTo(Subscriptions.NOT_PUB_SUB);
  }

  @Test
  void shouldAnswerACommandNamingChannelsAtItsLastConfirmation() {
    assertThat(subscriptions.confirm(0, Subscriptions.CHANNEL, reply("subscribe", "a", 1), 3)).isFalse();
    assertThat(subscriptions.confirm(0, Subscriptions.CHANNEL, reply("subscribe", "b", 2), 3)).isFalse();
    assertThat(subscriptions.confirm(0, Subscriptions.CHANNEL, reply("subscribe", "a", 2), 3))
        .as("a channel named twice is confirmed twice").isTrue();
  }

  @Test
  void shouldAnswerUnsubscribeFromAllWhenNoChannelIsLeftButPatternsMayRemain() {
    subscriptions.confirm(0, Subscriptions.CHANNEL, reply("subscribe", "a", 1), 2);
    subscriptions.confirm(0, Subscriptions.CHANNEL, reply("subscribe", "b", 2), 2);
    subscriptions.confirm(1, Subscriptions.PATTERN, reply("psubscribe", "n*", 3), 1);

    int unsubscribe = Subscriptions.CHANNEL + 4;
    assertThat(subscriptions.confirm(2, unsubscribe, reply("unsubscribe", "a", 2), 0)).isFalse();
    assertThat(subscriptions.confirm(2, unsubscribe, reply("unsubscribe", "b", 1), 0))
        .as("no channel left; the pattern stays").isTrue();
    assertThat(subscriptions.confirm(3, Subscriptions.PATTERN + 4, reply("punsubscribe", "n*", 0), 0)).isTrue();
  }

  @Test
  void shouldAnswerUnsubscribeFromNothingAtItsOneConfirmation() {
    assertThat(subscriptions.confirm(0, Subscriptions.CHANNEL + 4,
        List.of(bytes("unsubscribe"), new byte[0], 0L), 0)).isTrue();
  }

  @Test
  void shouldCountTheChannelsACommandNames() {
    assertThat(Subscriptions.channelsNamed(new Object(), new byte[][] {bytes("a"), bytes("b")})).isEqualTo(2);
    assertThat(Subscriptions.channelsNamed(List.of(bytes("SUBSCRIBE"), bytes("a")), null)).isOne();
    assertThat(Subscriptions.channelsNamed(List.of(bytes("UNSUBSCRIBE")), null)).isZero();
    assertThat(Subscriptions.channelsNamed(null, null)).isZero();
  }
}
