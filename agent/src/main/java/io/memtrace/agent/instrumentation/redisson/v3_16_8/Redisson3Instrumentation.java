package io.memtrace.agent.instrumentation.redisson.v3_16_8;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Redisson 3.x from 3.16.8 (tested with 3.52.0), where a command's promise became a
 * {@code CompletableFuture}. Every command of the sync, async, reactive and RxJava APIs, of every
 * object ({@code RBucket}, {@code RMap}, locks...) and of batches is sent by an executor through
 * {@code RedisConnection.send}, one {@code CommandData} per attempt (a batch's are in one
 * {@code CommandsData}), and its reply is decoded by the connection's {@code CommandDecoder} on
 * its event loop, which completes it in {@code completeResponse}, or fails it through
 * {@code CommandData.tryFailure}; a command its closed channel's {@code CommandsQueue} leaves unanswered ends
 * there ({@code ChannelClosedAdvice}). A connection's own work goes through {@code RedisConnection.async}
 * or {@code sync}.
 * An executor's {@code execute()} runs on the application's thread; its {@code sendCommand} there
 * too, or later on another thread when no connection was free ({@code RedissonParents}).
 */
public final class Redisson3Instrumentation {

  /** Added in 3.16.7. */
  public static final String MARKER = "org.redisson.misc.CompletableFutureWrapper";
  /** Removed in 3.16.8, when commands' promises became {@code CompletableFuture}s. */
  public static final String REMOVED_IN_3_16_8 = "org.redisson.misc.PromiseDelegator";

  static final String CONNECTION = "org.redisson.client.RedisConnection";
  static final String DECODER = "org.redisson.client.handler.CommandDecoder";
  static final String COMMANDS_QUEUE = "org.redisson.client.handler.CommandsQueue";
  static final String COMMAND_DATA = "org.redisson.client.protocol.CommandData";
  static final String BATCH_COMMAND_DATA = "org.redisson.client.protocol.BatchCommandData";
  static final String EXECUTOR = "org.redisson.command.RedisExecutor";
  static final String BATCH_EXECUTOR = "org.redisson.command.RedisCommonBatchExecutor";
  static final String QUEUED_EXECUTOR = "org.redisson.command.RedisQueuedBatchExecutor";
  private static final String COMMANDS_DATA = "org.redisson.client.protocol.CommandsData";
  private static final String CODEC = "org.redisson.client.codec.Codec";

  private static final String ADVICE = "io.memtrace.agent.instrumentation.redisson.v3_16_8.";

  private Redisson3Instrumentation() {
  }

  /** Binary names of the classes it transforms (the start-up gate holds them back until ready). */
  public static Set<String> classNames() {
    return Set.of(CONNECTION, DECODER, COMMANDS_QUEUE, COMMAND_DATA, BATCH_COMMAND_DATA, EXECUTOR, BATCH_EXECUTOR, QUEUED_EXECUTOR);
  }

  /** Whether a class loader with these classes ({@code present}) holds a Redisson of this family. */
  public static boolean inFamily(java.util.function.Predicate<String> present) {
    return present.test(MARKER) && !present.test(REMOVED_IN_3_16_8);
  }

  /** Adds the family's transformations, each only where the application's Redisson is of it. */
  public static KnownTypes install(KnownTypes types) {
    List<String> present = List.of(MARKER);
    List<String> absent = List.of(REMOVED_IN_3_16_8);
    return types
        .transform(ClassMarkers.where(named(CONNECTION), present, absent),
            advice()
            .advice(named("send").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_DATA))),
                ADVICE + "SendAdvice")
            .advice(named("send").and(takesArguments(1)).and(takesArgument(0, named(COMMANDS_DATA))),
                ADVICE + "SendBatchAdvice")
            .advice(named("async").and(takesArguments(4)).and(takesArgument(0, long.class))
                .and(takesArgument(1, named(CODEC))), ADVICE + "ConnectionWorkAdvice")
            .advice(named("sync").and(takesArguments(3)).and(takesArgument(0, named(CODEC))),
                ADVICE + "ConnectionWorkAdvice"))
        .transform(ClassMarkers.where(named(DECODER), present, absent),
            advice()
            .advice(named("decode").and(takesArgument(0, named("io.netty.buffer.ByteBuf")))
                .and(takesArgument(1, named(COMMAND_DATA))).and(takesArgument(2, named("java.util.List"))),
                ADVICE + "ReplyAdvice")
            .advice(named("completeResponse").and(takesArguments(2)), ADVICE + "CompleteAdvice"))
        .transform(ClassMarkers.where(named(COMMANDS_QUEUE), present, absent),
            advice()
            .advice(named("channelInactive").and(takesArguments(1)), ADVICE + "ChannelClosedAdvice")
            .advice(named("write").and(takesArguments(3)).and(takesArgument(2, named("io.netty.channel.ChannelPromise"))),
                ADVICE + "WriteFailedAdvice"))
        .transform(ClassMarkers.where(named(COMMAND_DATA), present, absent),
            advice().advice(named("tryFailure").and(takesArguments(Throwable.class)), ADVICE + "FailAdvice"))
        .transform(ClassMarkers.where(named(BATCH_COMMAND_DATA), present, absent),
            advice().advice(named("tryFailure").and(takesArguments(Throwable.class)), ADVICE + "RedirectAdvice"))
        .transform(ClassMarkers.where(namedOneOf(EXECUTOR, BATCH_EXECUTOR, QUEUED_EXECUTOR), present, absent),
            advice()
            .advice(named("execute").and(takesArguments(0)), ADVICE + "ExecuteAdvice")
            .advice(named("sendCommand").and(takesArguments(2)).and(takesArgument(1, named(CONNECTION))),
                ADVICE + "SendCommandAdvice"));
  }

  private static AgentBuilder.Transformer.ForAdvice advice() {
    return new AgentBuilder.Transformer.ForAdvice().include(Redisson3Instrumentation.class.getClassLoader());
  }
}
