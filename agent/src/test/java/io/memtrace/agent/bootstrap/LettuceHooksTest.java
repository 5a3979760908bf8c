package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Lettuce hooks: a start on the dispatching thread with its parent, one end per completion
 * chain, and a lost start counted once unless it makes no span of its own.
 */
class LettuceHooksTest {

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private final Object endpoint = new Object();
  private final Object channel = new Object();
  @RegisterExtension
  final InstalledBridge bridge = new InstalledBridge(sink);

  @Test
  void shouldPublishTheStartWithTheSpanCurrentOnTheDispatchingThreadAndPinNothing() {
    Object command = new Object();
    ThreadContext.current().currentSpanId = 42;
    long before = System.nanoTime();

    LettuceHooks.dispatched(endpoint, channel, command, false);

    CommandRecordingSink.Start s = sink.onlyPlainStart(endpoint, channel, command);
    assertThat(s.parentSpanId).isEqualTo(42L);
    assertThat(s.startNanos).isGreaterThanOrEqualTo(before);
    assertThat(ThreadContext.current().redisCall.command).as("staging cleared").isNull();
  }

  @Test
  void shouldMarkACommandQueuedInATransaction() {
    LettuceHooks.dispatched(endpoint, channel, new Object(), true);

    assertThat(sink.starts.get(0).marker).isSameAs(LettuceHooks.IN_TRANSACTION);
  }

  /** Lettuce 5 sets a connection up through the ordinary dispatch: inside its set-up steps, a command is a handshake one. */
  @Test
  void shouldMarkWhatIsDispatchedInsideLettuce5sSetUpAsHandshakeUntilTheOutermostStepEnds() {
    int outer = LettuceHooks.settingUp();
    int inner = LettuceHooks.settingUp();
    LettuceHooks.dispatched(endpoint, channel, new Object(), false);
    LettuceHooks.setUpDone(inner);
    LettuceHooks.dispatched(endpoint, channel, new Object(), true);
    LettuceHooks.setUpDone(outer);
    LettuceHooks.dispatched(endpoint, channel, new Object(), false);

    assertThat(sink.starts).extracting(s -> s.handshake).containsExactly(true, true, false);
    assertThat(sink.starts.get(0).connection).as("still the endpoint; the channel follows its SELECT").isSameAs(endpoint);
    assertThat(sink.starts.get(0).channel).isSameAs(channel);
    assertThat(sink.starts.get(1).marker).as("a set-up command is no transaction's member").isNull();
    assertThat(ThreadContext.current().lettuceSetUp).isZero();
  }

  @Test
  void shouldCountALostStartOnlyWhenItWouldHaveMadeASpanOfItsOwn() {
    sink.full = true;

    LettuceHooks.dispatched(endpoint, channel, new Object(), false);
    assertThat(sink.dropped).isEqualTo(1);
    LettuceHooks.dispatched(endpoint, channel, new Object(), true);
    LettuceHooks.handshakeDispatched(channel, new Object());
    assertThat(sink.dropped).as("a queued command and a hidden handshake command owe no span").isEqualTo(1);
    RedisHooks.recordHandshakes(true);
    LettuceHooks.handshakeDispatched(channel, new Object());
    assertThat(sink.dropped).as("a handshake command shown").isEqualTo(2);
    RedisHooks.recordHandshakes(false);
    int depth = LettuceHooks.settingUp();
    LettuceHooks.dispatched(endpoint, channel, new Object(), false);
    LettuceHooks.setUpDone(depth);
    assertThat(sink.dropped).as("a hidden Lettuce 5 set-up command").isEqualTo(2);
  }

  @Test
  void shouldPublishOneEndForAChainOfWrappersCompletingEachOther() {
    Object command = new Object();

    Object outer = LettuceCompletionHooks.completing(command, false, null); // AsyncCommand.complete()
    Object inner = LettuceCompletionHooks.completing(command, false, null); // its Command.complete()
    LettuceCompletionHooks.completed(inner);
    assertThat(ThreadContext.current().completing).as("still inside the outer call").isSameAs(command);
    LettuceCompletionHooks.completed(outer);

    assertThat(sink.ends).singleElement().satisfies(e -> {
      assertThat(e.command).isSameAs(command);
      assertThat(e.error).isNull();
    });
    assertThat(ThreadContext.current().completing).isNull();
  }

  @Test
  void shouldPublishTheEndOfAnotherCommandCompletedInsideACompletion() {
    Object first = new Object();
    Object second = new Object(); // completed by a callback of the first's future, on the same thread

    Object outer = LettuceCompletionHooks.completing(first, false, null);
    Object nested = LettuceCompletionHooks.completing(second, false, null);
    LettuceCompletionHooks.completed(nested);
    assertThat(ThreadContext.current().completing).isSameAs(first);
    LettuceCompletionHooks.completed(outer);

    assertThat(sink.ends).extracting(e -> e.command).containsExactly(first, second);
  }

  @Test
  void shouldPublishNothingForACommandCompletedAlready() {
    Object command = new Object();

    LettuceCompletionHooks.completed(LettuceCompletionHooks.completing(command, true, null));

    assertThat(sink.ends).isEmpty();
  }

  @Test
  void shouldEndACancelledCommandWithACancellationAndAFailedOneWithItsFailure() {
    Object cancelled = new Object();
    Object failed = new Object();
    RuntimeException closed = new RuntimeException("Connection closed");

    LettuceCompletionHooks.completed(LettuceCompletionHooks.cancelling(cancelled, false));
    LettuceCompletionHooks.completed(LettuceCompletionHooks.completing(failed, false, closed));
    LettuceCompletionHooks.dispatchFailed(failed, closed);

    assertThat(sink.ends.get(0).error).isInstanceOf(CancellationException.class);
    assertThat(sink.ends.get(1).error).isSameAs(closed);
    assertThat(sink.ends.get(2).error).isSameAs(closed);
  }

  @Test
  void shouldDoNothingWhileRedisTracingIsOff() {
    Bridge.uninstall();

    LettuceHooks.dispatched(endpoint, channel, new Object(), false);
    Object outer = LettuceCompletionHooks.completing(new Object(), false, null);
    LettuceCompletionHooks.completed(outer);

    assertThat(outer).isSameAs(LettuceCompletionHooks.UNCHANGED);
    assertThat(sink.starts).isEmpty();
    assertThat(sink.ends).isEmpty();
  }

  @Test
  void shouldContainAFailureOfItsOwnAndCountIt() {
    sink.failure = new IllegalStateException("sink broken");

    LettuceHooks.dispatched(endpoint, channel, new Object(), false);

    assertThat(bridge.internalErrors()).isEqualTo(1);
    assertThat(ThreadContext.current().redisCall.command).as("staging cleared").isNull();
  }
}
