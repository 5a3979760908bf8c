package io.memtrace.agent.instrumentation.lettuce.common;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.Set;
import java.util.function.Function;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The path every command of the sync, async and reactive APIs takes, the same from Lettuce 5.1 to
 * 7.x: dispatched through {@code RedisChannelHandler.dispatch} and written by its connection's
 * {@code DefaultEndpoint.write}, on the thread that issued it; completed by a chain of wrappers
 * ({@code AsyncCommand}, {@code CommandWrapper} and its subclasses) around one {@code Command},
 * usually on a Netty event loop, inside {@code CommandHandler.channelRead} of the channel that answered; a Redis Cluster command answered {@code MOVED} or {@code ASK} ends an attempt in
 * {@code ClusterCommand.complete()} and is written again. The families differ only in how a connection sets
 * itself up.
 */
public final class LettuceCommandPath {

  public static final String ENDPOINT = "io.lettuce.core.protocol.DefaultEndpoint";
  static final String CHANNEL_HANDLER = "io.lettuce.core.RedisChannelHandler";
  static final String REACTIVE_COMMANDS = "io.lettuce.core.AbstractRedisReactiveCommands";
  static final String COMMAND = "io.lettuce.core.protocol.Command";
  static final String ASYNC_COMMAND = "io.lettuce.core.protocol.AsyncCommand";
  static final String COMMAND_WRAPPER = "io.lettuce.core.protocol.CommandWrapper";
  static final String CLUSTER_COMMAND = "io.lettuce.core.cluster.ClusterCommand";
  static final String COMMAND_HANDLER = "io.lettuce.core.protocol.CommandHandler";

  private static final String ADVICE = "io.memtrace.agent.instrumentation.lettuce.common.";
  private static final String REDIS_COMMAND = "io.lettuce.core.protocol.RedisCommand";

  private LettuceCommandPath() {
  }

  /** Binary names of the classes {@link #install} transforms. */
  public static Set<String> classNames() {
    return Set.of(CHANNEL_HANDLER, ENDPOINT, COMMAND, ASYNC_COMMAND, COMMAND_WRAPPER, CLUSTER_COMMAND, COMMAND_HANDLER,
        REACTIVE_COMMANDS);
  }

  /**
   * Adds the transformations of the command path, each where {@code family} (a family's gate
   * around a matcher of class names) says the class loader's Lettuce is of that family.
   */
  public static KnownTypes install(KnownTypes types,
      Function<ElementMatcher<? super TypeDescription>, AgentBuilder.RawMatcher> family) {
    // matchers made here, not in static fields: classNames() runs in premain, where describing
    // Throwable would load Byte Buddy's type descriptions (~150 classes) into every JVM start
    ElementMatcher.Junction<MethodDescription> complete = named("complete").and(takesArguments(0));
    ElementMatcher.Junction<MethodDescription> completeExceptionally =
        named("completeExceptionally").and(takesArguments(Throwable.class));
    ElementMatcher.Junction<MethodDescription> cancel =
        named("cancel").and(takesArguments(0).or(takesArguments(boolean.class)));
    return types
        .transform(family.apply(named(CHANNEL_HANDLER)),
            advice().advice(named("dispatch").and(takesArguments(1)), ADVICE + "DispatchAdvice"))
        .transform(family.apply(named(ENDPOINT)),
            advice()
            .advice(named("write").and(takesArguments(1)).and(takesArgument(0, named(REDIS_COMMAND))),
                ADVICE + "WriteAdvice")
            .advice(named("write").and(takesArguments(1)).and(takesArgument(0, named("java.util.Collection"))),
                ADVICE + "WriteAllAdvice"))
        .transform(family.apply(namedOneOf(COMMAND, ASYNC_COMMAND, COMMAND_WRAPPER)),
            advice()
            .advice(complete, ADVICE + "CompleteAdvice")
            .advice(completeExceptionally, ADVICE + "CompleteExceptionallyAdvice")
            .advice(cancel, ADVICE + "CancelAdvice"))
        .transform(family.apply(named(COMMAND_HANDLER)),
            advice().advice(named("channelRead").and(takesArguments(2)), ADVICE + "ReadAdvice"))
        .transform(family.apply(named(CLUSTER_COMMAND)),
            advice().advice(complete, ADVICE + "RedirectAdvice"))
        .transform(family.apply(named(REACTIVE_COMMANDS)),
            advice().advice(named("decorate").and(takesArguments(2)), ADVICE + "ReactiveTracingAdvice"));
  }

  /** Advice from memtrace's own class loader, to be inlined into Lettuce's classes. */
  public static AgentBuilder.Transformer.ForAdvice advice() {
    return new AgentBuilder.Transformer.ForAdvice().include(LettuceCommandPath.class.getClassLoader());
  }
}
