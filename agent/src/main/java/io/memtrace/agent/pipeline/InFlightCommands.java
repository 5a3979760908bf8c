package io.memtrace.agent.pipeline;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * The commands whose start the consumer has read and whose end it has not, keyed by the command
 * object's identity (what pairs a start with its end), oldest first. Bounded: the caller removes
 * the oldest when {@link #isFull()} and those older than it allows. Consumer thread only; entries
 * are pooled, so a steady stream of commands allocates nothing here.
 */
final class InFlightCommands {

  /** What a transaction's commands are to it (see {@link AsyncCommandSpans}). */
  static final int STANDALONE = 0;
  static final int OPENER = 1;
  static final int MEMBER = 2;
  static final int CLOSER = 3;

  /** One dispatched command, copied out of its start event (ring slots are reused at once). */
  static final class Entry {
    Object command;
    long traceIdHigh;
    long traceIdLow;
    long spanId;
    long parentSpanId;
    boolean otelParent;
    long startNanos;
    Object connection;
    Object socket;
    boolean handshake;
    /** What sent it and sends its retries (Redisson's executor), or null; see {@link RetriedParents}. */
    Object origin;
    int role;
    Transaction transaction;
    /** Whether its end has been read (a transaction's opener stays until the transaction ends). */
    boolean ended;
    private Entry older;
    private Entry newer;

    private void copy(SpanEvent start) {
      command = start.command;
      traceIdHigh = start.traceIdHigh;
      traceIdLow = start.traceIdLow;
      spanId = start.spanId;
      parentSpanId = start.parentSpanId;
      otelParent = start.otelParent;
      startNanos = start.startNanos;
      connection = start.connection;
      socket = start.socket;
      handshake = start.handshake;
      origin = start.self;
      role = STANDALONE;
      transaction = null;
      ended = false;
    }

    /** Writes this command's ids, parent and start into {@code event}, its end event. */
    void into(SpanEvent event) {
      event.traceIdHigh = traceIdHigh;
      event.traceIdLow = traceIdLow;
      event.spanId = spanId;
      event.parentSpanId = parentSpanId;
      event.otelParent = otelParent;
      event.startNanos = startNanos;
      event.handshake = handshake;
    }

    private void clear() {
      command = null;
      connection = null;
      socket = null;
      origin = null;
      transaction = null;
      older = null;
      newer = null;
    }
  }

  /** Entries kept for reuse; past this a burst's entries go to the garbage collector. */
  private static final int POOLED = 1024;

  private final int capacity;
  private final IdentityHashMap<Object, Entry> byCommand = new IdentityHashMap<>();
  private final ArrayDeque<Entry> pool = new ArrayDeque<>();
  /** The ends of the list ordered by start, oldest first. */
  private Entry oldest;
  private Entry newest;

  InFlightCommands(int capacity) {
    this.capacity = capacity;
  }

  boolean isFull() {
    return byCommand.size() >= capacity;
  }

  int size() {
    return byCommand.size();
  }

  boolean contains(Object command) {
    return byCommand.containsKey(command);
  }

  /** Records the start in {@code event} as the newest entry; the caller made sure it is not in already. */
  Entry add(SpanEvent start) {
    Entry entry = pool.isEmpty() ? new Entry() : pool.poll();
    entry.copy(start);
    byCommand.put(entry.command, entry);
    entry.older = newest;
    if (newest != null) {
      newest.newer = entry;
    } else {
      oldest = entry;
    }
    newest = entry;
    return entry;
  }

  /** The entry of {@code command}, or null. */
  Entry get(Object command) {
    return byCommand.get(command);
  }

  /** The entry started longest ago, or null. */
  Entry oldest() {
    return oldest;
  }

  /** Takes {@code entry} out and gives it back to the pool: the caller must be done with it. */
  void remove(Entry entry) {
    if (byCommand.remove(entry.command) != entry) {
      return; // not (or no longer) in the table
    }
    if (entry.older != null) {
      entry.older.newer = entry.newer;
    } else {
      oldest = entry.newer;
    }
    if (entry.newer != null) {
      entry.newer.older = entry.older;
    } else {
      newest = entry.older;
    }
    entry.clear();
    if (pool.size() < POOLED) {
      pool.push(entry);
    }
  }
}
