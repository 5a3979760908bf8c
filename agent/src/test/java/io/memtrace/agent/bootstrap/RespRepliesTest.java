package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Replies measured on the wire: what a raw reply would say of its bytes and of finding data. */
class RespRepliesTest {

  @Test
  void shouldMeasureABulkStringByItsLengthWithoutReadingIt() {
    MeasuredReply reply = measure("$14\r\nhello redisson\r\n");

    assertThat(reply.bytes()).isEqualTo(14);
    assertThat(reply.present()).isTrue();
    assertThat(reply.counted()).as("no integer: says nothing of counting").isNull();
  }

  @Test
  void shouldTellANilFromAnEmptyString() {
    MeasuredReply nil = measure("$-1\r\n");
    MeasuredReply empty = measure("$0\r\n\r\n");
    MeasuredReply resp3Nil = measure("_\r\n");

    assertThat(nil.present()).isFalse();
    assertThat(nil.bytes()).as("no data").isEqualTo(-1);
    assertThat(empty.present()).isTrue();
    assertThat(empty.bytes()).isZero();
    assertThat(resp3Nil.present()).isFalse();
  }

  @Test
  void shouldAddUpTheStringsOfAnArrayAndSeeWhetherAnyIsThere() {
    MeasuredReply some = measure("*3\r\n$5\r\nalpha\r\n$-1\r\n$2\r\nxy\r\n");
    MeasuredReply none = measure("*2\r\n$-1\r\n$-1\r\n");
    MeasuredReply empty = measure("*0\r\n");

    assertThat(some.bytes()).isEqualTo(7);
    assertThat(some.present()).isTrue();
    assertThat(none.present()).as("an array of nils found nothing").isFalse();
    assertThat(none.bytes()).isEqualTo(-1);
    assertThat(empty.present()).isFalse();
  }

  @Test
  void shouldCountIntegersAsACountingCommandsAnswer() {
    assertThat(measure(":0\r\n").counted()).isFalse();
    assertThat(measure(":3\r\n").counted()).isTrue();
    assertThat(measure(":-2\r\n").counted()).isFalse();
    assertThat(measure("*3\r\n:0\r\n:1\r\n:0\r\n").counted()).as("SMISMEMBER with one member").isTrue();
    assertThat(measure("*2\r\n:0\r\n:0\r\n").counted()).isFalse();
    assertThat(measure("*1\r\n$1\r\na\r\n").counted()).as("an array of no integers counted nothing").isFalse();
  }

  @Test
  void shouldReadASearchsTotalFromItsFirstElement() {
    assertThat(measure("*3\r\n:2\r\n$3\r\ndoc\r\n*0\r\n").firstCount()).isTrue();
    assertThat(measure("*1\r\n:0\r\n").firstCount()).isFalse();
    assertThat(measure("$1\r\nx\r\n").firstCount()).isNull();
  }

  @Test
  void shouldMeasureNestedAggregatesAndResp3Types() {
    MeasuredReply nested = measure("*2\r\n*2\r\n$1\r\na\r\n$2\r\nbb\r\n%1\r\n+key\r\n$4\r\nvalu\r\n");
    MeasuredReply map = measure("%2\r\n$1\r\nf\r\n$2\r\nvv\r\n$1\r\ng\r\n#t\r\n");
    MeasuredReply verbatim = measure("=10\r\ntxt:abcdef\r\n");

    assertThat(nested.bytes()).isEqualTo(1 + 2 + 3 + 4);
    assertThat(map.bytes()).isEqualTo(4);
    assertThat(map.present()).isTrue();
    assertThat(measure("%0\r\n").present()).as("an empty map").isFalse();
    assertThat(verbatim.bytes()).as("less its 4-byte format").isEqualTo(6);
  }

  @Test
  void shouldCountASimpleStringAsData() {
    assertThat(measure("+OK\r\n").bytes()).isEqualTo(2);
  }

  @Test
  void shouldMeasureOnlyTheFirstReplyAndLeaveTheBufferAsItWas() {
    ByteBuffer buffer = ByteBuffer.wrap(bytes("xx$3\r\nabc\r\n:5\r\n"));
    buffer.position(2);

    assertThat(RespReplies.measure(buffer).bytes()).isEqualTo(3);
    assertThat(buffer.position()).isEqualTo(2);
  }

  @Test
  void shouldGiveUpOnACutShortOrForeignReply() {
    assertThat(RespReplies.measure(ByteBuffer.wrap(bytes("$10\r\nabc")))).isNull();
    assertThat(RespReplies.measure(ByteBuffer.wrap(bytes("*2\r\n$1\r\na\r\n")))).isNull();
    assertThat(RespReplies.measure(ByteBuffer.wrap(bytes("hello\r\n")))).isNull();
    assertThat(RespReplies.measure(ByteBuffer.wrap(bytes("$1x\r\na\r\n")))).isNull();
    assertThat(RespReplies.measure(ByteBuffer.wrap(new byte[0]))).isNull();
  }

  @Test
  void shouldNotFollowAnAggregateNestedBeyondItsDepth() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i <= RespReplies.MAX_DEPTH + 1; i++) {
      deep.append("*1\r\n");
    }
    deep.append(":1\r\n");

    assertThat(RespReplies.measure(ByteBuffer.wrap(bytes(deep.toString())))).isNull();
  }

  @Test
  void shouldMeasureAnErrorAsNoData() {
    MeasuredReply error = measure("-WRONGTYPE Operation against a key\r\n");

    assertThat(error.bytes()).isEqualTo(-1);
    assertThat(error.errorText()).as("Redis's own words").isEqualTo("WRONGTYPE Operation against a key");
    assertThat(measure("$1\r\nx\r\n").errorText()).isNull();
    assertThat(measure("-ERR " + "x".repeat(1000) + "\r\n").errorText()).hasSize(RespReplies.MAX_ERROR_TEXT);
  }

  private static MeasuredReply measure(String resp) {
    MeasuredReply reply = RespReplies.measure(ByteBuffer.wrap(bytes(resp)));
    assertThat(reply).as("measured %s", resp).isNotNull();
    return reply;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
