package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link EventSink} for commands that start and end apart (Lettuce, Redisson): copies each start and end
 * as the ring's translators would, and can play a full ring or a broken sink.
 */
public final class CommandRecordingSink extends EventSink.Ignoring {

  /** A start as {@link LettuceHooks} staged it. */
  public static final class Start {
    public final Object connection;
    public final Object channel;
    public final Object command;
    public final Object marker;
    public final boolean handshake;
    public final long parentSpanId;
    public final long startNanos;
    /** What sent it and would send its retries (Redisson's executor), or null. */
    public final Object origin;

    Start(RedisCall call, ThreadContext context) {
      origin = call.origin;
      connection = call.connection;
      channel = call.socket;
      command = call.command;
      marker = call.arguments;
      handshake = call.handshake;
      parentSpanId = context.currentSpanId();
      startNanos = call.startNanos;
    }
  }

  /**
   * The one start recorded, checked to be a plain command (no marker, not a handshake): {@code command} sent on
   * {@code connection}'s {@code channel}. The test checks the rest.
   */
  public Start onlyPlainStart(Object connection, Object channel, Object command) {
    assertThat(starts).hasSize(1);
    Start s = starts.get(0);
    assertThat(s.connection).isSameAs(connection);
    assertThat(s.channel).isSameAs(channel);
    assertThat(s.command).isSameAs(command);
    assertThat(s.marker).isNull();
    assertThat(s.handshake).isFalse();
    return s;
  }

  /** An end as {@link LettuceHooks} staged it. */
  public static final class End {
    public final Object command;
    public final Throwable error;
    public final Object reply;
    /** The channel whose replies were being read, if any. */
    public final Object channel;
    /** What a client that measures replies and copies arguments at completion (Redisson) staged. */
    public final Object arguments;

    End(RedisCall call) {
      channel = call.socket;
      command = call.command;
      error = call.error;
      reply = call.reply;
      arguments = call.arguments;
    }
  }

  public final List<Start> starts = Collections.synchronizedList(new ArrayList<>());
  public final List<End> ends = Collections.synchronizedList(new ArrayList<>());
  public volatile long dropped;
  /** Starts find the ring full (they are recorded all the same, to be looked at). */
  public volatile boolean full;
  /** Thrown by every start. */
  public volatile RuntimeException failure;

  @Override
  public boolean publishCommandStart(ThreadContext context) {
    if (failure != null) {
      throw failure;
    }
    starts.add(new Start(context.redisCall, context));
    return !full;
  }

  @Override
  public void publishCommandEnd(ThreadContext context) {
    ends.add(new End(context.redisCall));
  }

  @Override
  public synchronized void countDropped(long events) {
    dropped += events;
  }
}
