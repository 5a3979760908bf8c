package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redisson command sent by another thread than the one that ran its executor is sent with that
 * thread's span current; one sent at once keeps nothing.
 */
class RedissonParentsTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();

  @RegisterExtension
  final InstalledBridge bridge = new InstalledBridge(sink);

  @Test
  void shouldKeepNothingForACommandSentAtOnce() {
    Object executor = new Object();
    ThreadContext.current().currentSpanId = 5;
    int before = RedissonParents.waiting();

    Object outer = RedissonParents.executing(executor);
    Object here = RedissonParents.sending(executor);
    RedissonHooks.sent(new Object(), new Object(), new Object(), false);
    RedissonParents.sent(here);
    RedissonParents.executed(executor, outer);

    assertThat(here).isNull();
    assertThat(sink.starts.get(0).parentSpanId).isEqualTo(5L);
    assertThat(RedissonParents.waiting()).isEqualTo(before);
  }

  @Test
  void shouldSendWithTheSpanCurrentWhereTheExecutorRanWhenAnotherThreadSends() throws Exception {
    Object executor = new Object();
    ThreadContext.current().currentSpanId = 9;
    RedissonParents.executed(executor, RedissonParents.executing(executor)); // no connection free yet

    AtomicLong parentOnOtherThread = new AtomicLong(-1);
    AtomicLong afterOnOtherThread = new AtomicLong(-1);
    Thread eventLoop = new Thread(() -> {
      ThreadContext.current().currentSpanId = 3; // whatever that thread was doing
      Object here = RedissonParents.sending(executor);
      RedissonHooks.sent(new Object(), new Object(), new Object(), false);
      RedissonParents.sent(here);
      parentOnOtherThread.set(sink.starts.get(0).parentSpanId);
      afterOnOtherThread.set(ThreadContext.current().currentSpanId);
    });
    eventLoop.start();
    eventLoop.join();

    assertThat(parentOnOtherThread.get()).isEqualTo(9L);
    assertThat(afterOnOtherThread.get()).as("that thread's own span current again").isEqualTo(3L);
    assertThat(RedissonParents.sending(executor)).as("taken once").isNull();
  }

  /** The thread that frees a connection can send the command before the executor's execute() has returned. */
  @Test
  void shouldSendWithTheExecutorsSpanWhenAnotherThreadSendsBeforeExecuteReturns() throws Exception {
    Object executor = new Object();
    ThreadContext.current().currentSpanId = 11;
    Object outer = RedissonParents.executing(executor); // asked for a connection; none free yet

    AtomicLong parentOnOtherThread = new AtomicLong(-1);
    Thread freeing = new Thread(() -> {
      ThreadContext.current().currentSpanId = 4; // another memory call, whose connection just came free
      Object here = RedissonParents.sending(executor);
      RedissonHooks.sent(new Object(), new Object(), new Object(), false);
      RedissonParents.sent(here);
      parentOnOtherThread.set(sink.starts.get(0).parentSpanId);
    });
    freeing.start();
    freeing.join();
    RedissonParents.executed(executor, outer);

    assertThat(parentOnOtherThread.get()).isEqualTo(11L);
    assertThat(RedissonParents.sending(executor)).as("taken once").isNull();
  }

  /**
   * A retry sent from Redisson's event loop or timer, outside the application's thread: its start
   * names its executor, by which the consumer finds the parent of the attempt that failed.
   */
  @Test
  void shouldNameTheExecutorThatSentACommandAndNothingOnceItSent() {
    Object executor = new Object();
    Object here = RedissonParents.sending(executor);
    RedissonHooks.sent(new Object(), new Object(), new Object(), false);
    RedissonParents.sent(here);
    RedissonHooks.sent(new Object(), new Object(), new Object(), false); // its own work, say

    assertThat(sink.starts.get(0).origin).isSameAs(executor);
    assertThat(sink.starts.get(1).origin).isNull();
  }

  @Test
  void shouldKeepNothingOutsideAnySpan() {
    Object executor = new Object();
    int before = RedissonParents.waiting();

    RedissonParents.executed(executor, RedissonParents.executing(executor));

    assertThat(RedissonParents.waiting()).isEqualTo(before);
  }
}
