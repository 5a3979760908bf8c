package io.memtrace.agent.instrumentation.lettuce.v5_1;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.CommandRecordingSink;
import io.memtrace.agent.bootstrap.LettuceHooks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lettuce 5's set-up advice, inlined into a stand-in shaped like {@code RedisClient}'s connect
 * steps (javac's names for the lambdas of {@code connectStatefulAsync}): what is dispatched inside
 * one is a handshake command, what is dispatched after it (returned or thrown) is not.
 */
class SetUpAdviceTest {

  /** A connect step that dispatches a command (as Lettuce's endpoint advice reports it), or fails. */
  public static class Client {
    public static Object lambda$connectStatefulAsync$2(Object endpoint, Object command, boolean fail) {
      LettuceHooks.dispatched(endpoint, null, command, false);
      if (fail) {
        throw new IllegalStateException("connect step failed");
      }
      return command;
    }
  }

  private final CommandRecordingSink sink = new CommandRecordingSink();
  private Method step;

  @BeforeEach
  void advise() throws Exception {
    Bridge.install(sink, true, false);
    ClassLoader advised = new ByteBuddy().redefine(Client.class)
        .visit(Advice.to(SetUpAdvice.class).on(nameStartsWith("lambda$connectStatefulAsync$")))
        .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded().getClassLoader();
    step = Class.forName(Client.class.getName(), true, advised)
        .getMethod("lambda$connectStatefulAsync$2", Object.class, Object.class, boolean.class);
  }

  @AfterEach
  void uninstall() {
    Bridge.uninstall();
  }

  @Test
  void shouldMarkWhatAConnectStepDispatchesAsHandshakeAndNothingAfterItReturnsOrThrows() throws Exception {
    Object endpoint = new Object();
    Object command = new Object();

    assertThat(step.invoke(null, endpoint, command, false)).as("what the step returns, unchanged").isSameAs(command);
    assertThatThrownBy(() -> step.invoke(null, endpoint, new Object(), true))
        .isInstanceOf(InvocationTargetException.class).hasCauseInstanceOf(IllegalStateException.class);
    LettuceHooks.dispatched(endpoint, null, new Object(), false);

    assertThat(sink.starts).extracting(s -> s.handshake).containsExactly(true, true, false);
  }
}
