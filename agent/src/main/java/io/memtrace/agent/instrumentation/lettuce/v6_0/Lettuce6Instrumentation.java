package io.memtrace.agent.instrumentation.lettuce.v6_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Lettuce 6.x (tested with 6.6). Every command of the sync, async and reactive APIs is dispatched
 * through {@code RedisChannelHandler.dispatch} and written by its connection's
 * {@code DefaultEndpoint.write}, on the thread that issued it; it is completed by a chain of
 * wrappers ({@code AsyncCommand}, {@code CommandWrapper} and its subclasses) around one
 * {@code Command}, usually on a Netty event loop. A connection sets itself up in
 * {@code RedisHandshake}, writing straight to its channel.
 */
public final class Lettuce6Instrumentation {

  /** Added in 6.0 (RESP3). */
  public static final String MARKER = "io.lettuce.core.protocol.ProtocolVersion";
  /** Removed in 7.0: its absence tells a newer Lettuce, which this family has not been tried with. */
  public static final String REMOVED_IN_7 = "io.lettuce.core.codec.Utf8StringCodec";

  static final String CHANNEL_HANDLER = "io.lettuce.core.RedisChannelHandler";
  public static final String ENDPOINT = "io.lettuce.core.protocol.DefaultEndpoint";
  static final String HANDSHAKE = "io.lettuce.core.RedisHandshake";
  static final String REACTIVE_COMMANDS = "io.lettuce.core.AbstractRedisReactiveCommands";
  static final String COMMAND = "io.lettuce.core.protocol.Command";
  static final String ASYNC_COMMAND = "io.lettuce.core.protocol.AsyncCommand";
  static final String COMMAND_WRAPPER = "io.lettuce.core.protocol.CommandWrapper";

  private static final String ADVICE = "io.memtrace.agent.instrumentation.lettuce.v6_0.";
  private static final String REDIS_COMMAND = "io.lettuce.core.protocol.RedisCommand";

  private Lettuce6Instrumentation() {
  }

  /** Binary names of the classes it transforms (the start-up gate holds them back until ready). */
  public static Set<String> classNames() {
    return Set.of(CHANNEL_HANDLER, ENDPOINT, HANDSHAKE, COMMAND, ASYNC_COMMAND, COMMAND_WRAPPER, REACTIVE_COMMANDS);
  }

  /** Adds the family's transformations, each only where the application's Lettuce is 6.x. */
  public static KnownTypes install(KnownTypes types) {
    // matchers made here, not in static fields: classNames() runs in premain, where describing
    // Throwable would load Byte Buddy's type descriptions (~150 classes) into every JVM start
    ElementMatcher.Junction<MethodDescription> complete = named("complete").and(takesArguments(0));
    ElementMatcher.Junction<MethodDescription> completeExceptionally =
        named("completeExceptionally").and(takesArguments(Throwable.class));
    ElementMatcher.Junction<MethodDescription> cancel =
        named("cancel").and(takesArguments(0).or(takesArguments(boolean.class)));
    List<String> present = List.of(MARKER, REMOVED_IN_7);
    return types
        .transform(ClassMarkers.where(named(CHANNEL_HANDLER), present, List.of()),
            advice().advice(named("dispatch").and(takesArguments(1)), ADVICE + "DispatchAdvice"))
        .transform(ClassMarkers.where(named(ENDPOINT), present, List.of()),
            advice()
            .advice(named("write").and(takesArguments(1)).and(takesArgument(0, named(REDIS_COMMAND))),
                ADVICE + "WriteAdvice")
            .advice(named("write").and(takesArguments(1)).and(takesArgument(0, named("java.util.Collection"))),
                ADVICE + "WriteAllAdvice"))
        .transform(ClassMarkers.where(namedOneOf(COMMAND, ASYNC_COMMAND, COMMAND_WRAPPER), present, List.of()),
            advice()
            .advice(complete, ADVICE + "CompleteAdvice")
            .advice(completeExceptionally, ADVICE + "CompleteExceptionallyAdvice")
            .advice(cancel, ADVICE + "CancelAdvice"))
        .transform(ClassMarkers.where(named(REACTIVE_COMMANDS), present, List.of()),
            advice().advice(named("decorate").and(takesArguments(2)), ADVICE + "ReactiveTracingAdvice"))
        .transform(ClassMarkers.where(named(HANDSHAKE), present, List.of()),
            advice()
            .advice(named("dispatch").and(takesArguments(2)).and(takesArgument(0, named("io.netty.channel.Channel"))),
                ADVICE + "HandshakeAdvice"));
  }

  private static AgentBuilder.Transformer.ForAdvice advice() {
    return new AgentBuilder.Transformer.ForAdvice().include(Lettuce6Instrumentation.class.getClassLoader());
  }
}
