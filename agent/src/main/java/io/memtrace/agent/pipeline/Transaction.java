package io.memtrace.agent.pipeline;

import io.memtrace.agent.bootstrap.RedisBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A Lettuce transaction being collected on the consumer: MULTI, the commands queued on the same
 * connection after it, and the EXEC or DISCARD that ends it, which become one span as a Jedis
 * transaction does ({@code MULTI}, {@code MULTI SET}). Its ids and start are its MULTI's.
 */
final class Transaction {

  /** Commands named in the span; the rest are counted (the ring slot's batch arrays hold this many). */
  static final int CAPACITY = RedisBatch.CAPACITY;

  /** MULTI's entry: it stays in flight, standing for the transaction, until the transaction ends. */
  final InFlightCommands.Entry opener;
  final Object connection;
  private final Object[] commands = new Object[CAPACITY];
  private int recorded;
  private int overflow;
  private int errors;
  private Throwable firstError;
  /** {@code exec} or {@code discard} once its closing command was dispatched. */
  private String method;
  /** Ended: made into its span, or lost. */
  boolean done;

  Transaction(InFlightCommands.Entry opener, Object connection) {
    this.opener = opener;
    this.connection = connection;
    commands[recorded++] = opener.command;
  }

  /** A command queued in it; the last slot is kept for the closing command. */
  void add(Object command) {
    if (overflow == 0 && recorded < CAPACITY - 1) {
      commands[recorded++] = command;
    } else {
      overflow++;
    }
  }

  /** Its EXEC or DISCARD was dispatched: nothing more joins it. */
  void close(Object command, String method) {
    this.method = method;
    if (overflow == 0) {
      commands[recorded++] = command;
    } else {
      overflow++; // the last one not recorded is the closing command, as BatchSummary expects
    }
  }

  boolean closed() {
    return method != null;
  }

  /** One of its commands ended with {@code error} (a failure, not a reply it carries for EXEC). */
  void failed(Throwable error) {
    if (error != null && errors++ == 0) {
      firstError = error;
    }
  }

  /**
   * Writes the transaction, ended by its closing command with {@code error}, into its end event, with its EXEC's
   * {@code reply} as the array of its commands' replies when it is one (Lettuce's {@code TransactionResult} is an
   * {@link Iterable}) of one reply per queued command; else none: WATCH aborted it (an empty result), or it is not
   * known. Read on the consumer, after the reply completed the EXEC.
   */
  void into(SpanEvent event, Throwable error, Object reply) {
    into(event, error);
    if (event.batchReplies == null) {
      event.batchReplies = new Object[CAPACITY];
    }
    java.util.Arrays.fill(event.batchReplies, 0, recorded, null);
    if (overflow == 0 && "exec".equals(method) && reply instanceof Iterable) {
      List<Object> replies = new ArrayList<>(recorded);
      try {
        for (Object r : (Iterable<?>) reply) {
          replies.add(r);
        }
      } catch (RuntimeException e) {
        return; // the application's object, read on the consumer: what ran is then not known
      }
      if (replies.size() == recorded - 2) { // MULTI and EXEC apart
        event.batchReplies[recorded - 1] = replies;
      }
    }
  }

  /** Writes the transaction, ended by its closing command with {@code error}, into its end event. */
  void into(SpanEvent event, Throwable error) {
    opener.into(event);
    event.handshake = false;
    if (event.batchCommands == null) { // once per slot, as RingPublisher does for Jedis batches
      event.batchCommands = new Object[CAPACITY];
      event.batchArguments = new Object[CAPACITY];
    }
    System.arraycopy(commands, 0, event.batchCommands, 0, recorded);
    event.batchRecorded = recorded;
    event.batchOverflow = overflow;
    event.batchMethod = method;
    failed(error);
    event.batchErrors = errors;
    event.error = error != null ? error : firstError;
  }
}
