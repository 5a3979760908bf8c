package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightCommandsTest {

  private final InFlightCommands table = new InFlightCommands(3);

  private static SpanEvent start(Object command, long startNanos) {
    SpanEvent event = new SpanEvent();
    event.command = command;
    event.startNanos = startNanos;
    event.spanId = startNanos + 100;
    return event;
  }

  @Test
  void shouldFindAStartByItsCommandObjectNotByEquality() {
    String command = new String("GET");
    table.add(start(command, 1));

    assertThat(table.get(command).spanId).isEqualTo(101);
    assertThat(table.get(new String("GET"))).as("an equal command is another command").isNull();
    assertThat(table.contains(command)).isTrue();
  }

  @Test
  void shouldKeepStartsOldestFirstAndSayWhenFull() {
    Object a = new Object();
    Object b = new Object();
    Object c = new Object();
    table.add(start(a, 1));
    table.add(start(b, 2));
    assertThat(table.isFull()).isFalse();
    table.add(start(c, 3));

    assertThat(table.isFull()).isTrue();
    assertThat(table.oldest().command).isSameAs(a);
    table.remove(table.get(b));
    assertThat(table.oldest().command).isSameAs(a);
    table.remove(table.get(a));
    assertThat(table.oldest().command).isSameAs(c);
    table.remove(table.get(c));
    assertThat(table.oldest()).isNull();
    assertThat(table.size()).isZero();
  }

  @Test
  void shouldReuseRemovedEntriesClearedOfWhatTheyHeld() {
    Object a = new Object();
    InFlightCommands.Entry first = table.add(start(a, 1));
    first.connection = new Object();
    table.remove(first);
    assertThat(first.command).as("pins nothing once removed").isNull();
    assertThat(first.connection).isNull();

    Object b = new Object();
    InFlightCommands.Entry second = table.add(start(b, 2));

    assertThat(second).isSameAs(first);
    assertThat(second.command).isSameAs(b);
    assertThat(second.role).isEqualTo(InFlightCommands.STANDALONE);
  }

  @Test
  void shouldCopyTheStartsIdsIntoItsEndEvent() {
    SpanEvent start = start(new Object(), 7);
    start.traceIdHigh = 1;
    start.traceIdLow = 2;
    start.parentSpanId = 3;
    start.otelParent = true;
    start.handshake = true;
    SpanEvent end = new SpanEvent();

    table.add(start).into(end);

    assertThat(end.traceIdHigh).isEqualTo(1);
    assertThat(end.traceIdLow).isEqualTo(2);
    assertThat(end.spanId).isEqualTo(107);
    assertThat(end.parentSpanId).isEqualTo(3);
    assertThat(end.otelParent).isTrue();
    assertThat(end.handshake).isTrue();
    assertThat(end.startNanos).isEqualTo(7);
  }
}
