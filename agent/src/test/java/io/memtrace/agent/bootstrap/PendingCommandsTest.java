package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PendingCommandsTest {

  private final Object connection = new Object();
  private final PendingCommands pending = new PendingCommands(connection);
  private final RedisCall call = new RedisCall();

  private Object takeCommand() {
    int taken = pending.take(call);
    assertThat(taken).isEqualTo(PendingCommands.RECORDED);
    Object command = call.command;
    call.clear();
    return command;
  }

  @Test
  void shouldAnswerCommandsInTheOrderTheyWereSent() {
    Object socket = new Object();
    pending.add(socket, "GET", "args", 11, false);
    pending.add(socket, "SET", null, 12, false);

    assertThat(pending.take(call)).isEqualTo(PendingCommands.RECORDED);
    assertThat(call.connection).isSameAs(connection);
    assertThat(call.socket).isSameAs(socket);
    assertThat(call.command).isEqualTo("GET");
    assertThat(call.arguments).isEqualTo("args");
    assertThat(call.startNanos).isEqualTo(11);
    call.clear();
    assertThat(takeCommand()).isEqualTo("SET");
    assertThat(pending.pending()).isZero();
  }

  @Test
  void shouldTakeNothingWhenNothingIsPending() {
    assertThat(pending.take(call)).isEqualTo(PendingCommands.NONE);
    assertThat(pending.peek(call)).isEqualTo(-1);
    assertThat(call.connection).as("the call is left empty").isNull();
  }

  @Test
  void shouldNumberButNotRecordCommandsPastCapacityAndKeepTheOrder() {
    for (int i = 0; i < PendingCommands.CAPACITY + 2; i++) {
      assertThat(pending.add(null, "c" + i, null, i, false)).isEqualTo(i < PendingCommands.CAPACITY);
    }
    assertThat(takeCommand()).isEqualTo("c0");
    assertThat(pending.add(null, "late", null, 0, false))
        .as("16 are still pending: only numbered").isFalse();

    for (int i = 1; i < PendingCommands.CAPACITY; i++) {
      assertThat(takeCommand()).isEqualTo("c" + i);
    }
    assertThat(pending.take(call)).as("c16").isEqualTo(PendingCommands.UNRECORDED);
    assertThat(pending.take(call)).as("c17").isEqualTo(PendingCommands.UNRECORDED);
    assertThat(pending.take(call)).as("late").isEqualTo(PendingCommands.UNRECORDED);
    assertThat(pending.take(call)).isEqualTo(PendingCommands.NONE);

    assertThat(pending.add(null, "again", null, 0, false)).isTrue();
    assertThat(takeCommand()).isEqualTo("again");
  }

  @Test
  void shouldPeekWithoutTakingUntilConsumed() {
    pending.add(null, "SUBSCRIBE", null, 1, false);
    pending.add(null, "PING", null, 2, false);

    long number = pending.peek(call);
    assertThat(call.command).isEqualTo("SUBSCRIBE");
    assertThat(pending.peek(call)).as("still the oldest").isEqualTo(number);
    assertThat(pending.consume(number)).isTrue();
    assertThat(pending.consume(number)).as("taken once only").isFalse();
    call.clear();

    assertThat(takeCommand()).isEqualTo("PING");
  }

  @Test
  void shouldDiscardEveryPendingCommandExactlyOnce() {
    pending.add(null, "a", null, 1, false);
    pending.add(null, "b", null, 2, false);
    pending.add(null, "c", null, 3, false);
    assertThat(takeCommand()).isEqualTo("a");

    assertThat(pending.discardAll()).isEqualTo(2);
    assertThat(pending.discardAll()).isZero();
    assertThat(pending.take(call)).as("their replies will never come").isEqualTo(PendingCommands.NONE);

    pending.add(null, "d", null, 4, false);
    assertThat(takeCommand()).as("the connection is usable again").isEqualTo("d");
  }

  @Test
  void shouldNotTakeACommandThatADisconnectDroppedAfterItWasPeeked() {
    pending.add(null, "a", null, 1, false);
    long number = pending.peek(call);

    assertThat(pending.discardAll()).isOne();

    assertThat(pending.consume(number)).as("counted as dropped, so not answered too").isFalse();
  }

  @Test
  void shouldCarryTheHandshakeMark() {
    pending.add(null, "HELLO", null, 1, true);
    pending.add(null, "GET", null, 2, false);

    pending.take(call);
    assertThat(call.handshake).isTrue();
    call.clear();
    pending.take(call);
    assertThat(call.handshake).isFalse();
  }

  /**
   * One thread sends, another reads, a third disconnects now and then (bounded loop): every
   * command is either answered, in order and whole, or dropped, and never both. The timeout is a hang guard: three
   * spinning threads share what the machine leaves them (30 s ran out at load 30 on two cores, in a run beside other
   * builds), and a lost wake-up would spin forever.
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void shouldAnswerOrDropEachCommandOnceWhenSenderReaderAndDisconnectRace() throws Exception {
    int commands = 200_000;
    AtomicLong dropped = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    List<String> problems = new ArrayList<>();
    Thread sender = new Thread(() -> {
      for (int i = 0; i < commands; i++) {
        while (pending.pending() >= PendingCommands.CAPACITY) {
          Thread.onSpinWait(); // mostly recorded, so that the order of answers can be checked
        }
        pending.add(null, i, null, i, false);
      }
    });
    Thread reader = new Thread(() -> {
      RedisCall mine = new RedisCall();
      int last = -1;
      while (answered.get() + dropped.get() < commands) {
        int taken = pending.take(mine);
        if (taken == PendingCommands.RECORDED) {
          if (!(mine.command instanceof Integer)) {
            problems.add("torn slot: " + mine.command);
            mine.clear();
            continue;
          }
          int n = (Integer) mine.command;
          if (mine.startNanos != n) {
            problems.add("torn slot: " + n + " started " + mine.startNanos);
          }
          if (n <= last) {
            problems.add(n + " after " + last);
          }
          last = n;
          answered.incrementAndGet();
        } else if (taken == PendingCommands.UNRECORDED) {
          answered.incrementAndGet(); // numbered only (right after a disconnect): still answered
        }
        mine.clear();
      }
    });
    Thread closer = new Thread(() -> {
      while (answered.get() + dropped.get() < commands) {
        dropped.addAndGet(pending.discardAll());
        Thread.yield();
      }
    });
    sender.start();
    reader.start();
    closer.start();
    sender.join();
    reader.join();
    closer.join();

    assertThat(problems).isEmpty();
    assertThat(answered.get() + dropped.get()).isEqualTo(commands);
    assertThat(pending.pending()).isZero();
  }
}
