package io.memtrace.agent.pipeline;

import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import io.memtrace.agent.bootstrap.LettuceHooks;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.InFlightCommands.Entry;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.AsyncClient;
import io.memtrace.agent.span.SpanRecord;
import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pairs the starts and ends of commands that complete on another thread than the one that
 * dispatched them (Lettuce, see {@code LettuceHooks}) and makes their spans, on the consumer
 * thread, which alone owns this state. A start waits in {@link InFlightCommands} until the end
 * of the same command object comes; the pair becomes one span, with the start's ids and parent
 * (the span current where the command was dispatched) and the end's time, reply and error.
 *
 * <p>Transactions: a MULTI dispatched on a connection opens a {@link Transaction}; the commands
 * Lettuce queues in it on that connection join it, and the end of its EXEC or DISCARD makes it one
 * span, as for Jedis. Commands pipelined with auto-flush off are not grouped: each keeps its own
 * span, which starts when it was dispatched and so includes the wait for the flush.
 *
 * <p>Counting ({@code produced = exported + compressed + dropped}): a span is counted when its end
 * makes it, or, as dropped, when its start leaves the table without one: the table is full (the
 * oldest goes), the start is older than {@link #MAX_AGE_NANOS}, or the agent shuts down. Ends
 * that find no start count nothing: their start was counted where it was lost (see
 * {@code LettuceHooks}), expired here, or never made a span (commands dispatched before memtrace
 * started, a second completion of one command). An end published after the shutdown marker is no span
 * either: its start is counted here, once.
 *
 * <p>Redis Cluster redirections: a command answered {@code MOVED} or {@code ASK} ends there (its span
 * has that error and the address of the node that sent it) and is dispatched again, by Lettuce's
 * thread that read the redirection, to the node named. That second start is a span of its own, in
 * the trace and under the parent of the first: the first attempt's ids wait in {@link ClusterRedirections}
 * until the retry starts or the command ends without one.
 */
public final class AsyncCommandSpans {

  /** Commands in flight at once; past this the oldest is dropped (counted). */
  static final int MAX_IN_FLIGHT = 65_536;
  /**
   * How long a start waits for its end. A lost end (the ring was full when the command completed)
   * would otherwise keep its command reachable for good; a blocking command that waits longer
   * (BLPOP with no timeout) loses its span, counted as dropped.
   */
  static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final RedisSpanFactory spans;
  private final AsyncClient client;
  private final boolean handshakeSpans;
  private final HealthCounters counters;
  private final InFlightCommands inFlight;
  private final long maxAgeNanos;
  /** The transaction open on each connection (by the connection object's identity). */
  private final IdentityHashMap<Object, Transaction> open = new IdentityHashMap<>();
  private final RetriedParents retried = new RetriedParents();
  private final ClusterRedirections redirected = new ClusterRedirections();

  /**
   * @param spans makes the spans, with the client's decoder
   * @param handshakeSpans {@code redis.handshake-spans}: whether set-up commands get spans
   */
  public AsyncCommandSpans(RedisSpanFactory spans, AsyncClient client, boolean handshakeSpans,
      HealthCounters counters) {
    this(spans, client, handshakeSpans, counters, MAX_IN_FLIGHT, MAX_AGE_NANOS);
  }

  AsyncCommandSpans(RedisSpanFactory spans, AsyncClient client, boolean handshakeSpans,
      HealthCounters counters, int maxInFlight, long maxAgeNanos) {
    this.spans = spans;
    this.client = client;
    this.handshakeSpans = handshakeSpans;
    this.counters = counters;
    this.inFlight = new InFlightCommands(maxInFlight);
    this.maxAgeNanos = maxAgeNanos;
  }

  /** Whether {@code command} is of this pairing's client. */
  boolean owns(Object command) {
    return command != null && client.owns(command);
  }

  /** A command was dispatched: it waits for its end. */
  void started(SpanEvent start) {
    if (start.command == null || inFlight.contains(start.command)) {
      return; // dispatched twice (a cluster connection hands it on to a node's): the first start stands
    }
    redirected.adoptRetry(start);
    if (inFlight.isFull()) {
      lose(inFlight.oldest());
    }
    Entry entry = inFlight.add(start);
    retried.adopt(entry);
    if (start.handshake) {
      return;
    }
    Transaction transaction = open.get(start.connection);
    AsyncClient.Framing framing = client.framing(start.command);
    if (transaction == null && framing == AsyncClient.Framing.MULTI) {
      entry.role = InFlightCommands.OPENER;
      entry.transaction = new Transaction(entry, start.connection);
      open.put(start.connection, entry.transaction);
    } else if (start.arguments == LettuceHooks.IN_TRANSACTION) {
      // queued in a transaction; with its MULTI lost it makes no span either (that loss was counted)
      entry.role = InFlightCommands.MEMBER;
      entry.transaction = transaction;
      if (transaction != null) {
        transaction.add(start.command);
      }
    } else if (transaction != null && (framing == AsyncClient.Framing.EXEC || framing == AsyncClient.Framing.DISCARD)) {
      entry.role = InFlightCommands.CLOSER;
      entry.transaction = transaction;
      transaction.close(start.command, framing == AsyncClient.Framing.EXEC ? "exec" : "discard");
      open.remove(start.connection);
    }
  }

  /**
   * A command completed. Returns whether {@code record} now holds a span: the command's, or its
   * transaction's when it ended one; {@code end} is reused as that span's event.
   */
  boolean ended(SpanEvent end, SpanRecord record) {
    return ended(end, record, Retention.off());
  }

  /**
   * {@link #ended(SpanEvent, SpanRecord)}, the span written when {@code retention} keeps it (else counted, and its
   * key events made, as a synchronous client's): whether {@code record} now holds a span to export.
   */
  boolean ended(SpanEvent end, SpanRecord record, Retention retention) {
    redirected.ended(end);
    Entry entry = end.command == null ? null : inFlight.get(end.command);
    if (entry == null || entry.ended) {
      return false;
    }
    switch (entry.role) {
      case InFlightCommands.OPENER:
        entry.ended = true; // stays, standing for its transaction
        entry.transaction.failed(failure(end));
        return false;
      case InFlightCommands.MEMBER:
        if (entry.transaction != null) {
          entry.transaction.failed(end.error);
        }
        inFlight.remove(entry);
        return false;
      case InFlightCommands.CLOSER:
        return endTransaction(entry, end, record, retention);
      default:
        return endCommand(entry, end, record, retention);
    }
  }

  private boolean endCommand(Entry entry, SpanEvent end, SpanRecord record, Retention retention) {
    Throwable failure = failure(end);
    if (failure != null) {
      retried.failed(entry); // its client may send it again from where no span is current
    }
    entry.into(end);
    redirected.awaitRetry(entry, end);
    // the channel that answered, else the one the endpoint had when the command was dispatched
    Object socket = end.socket != null ? end.socket : entry.socket;
    inFlight.remove(entry);
    connection(end, socket);
    end.error = failure;
    // a reply the client measured when it was read (Redisson) stands; else its output is asked
    end.reply = end.error != null ? null : end.reply != null ? end.reply : client.reply(end.command);
    end.replyLength = -1;
    if (end.handshake && !handshakeSpans) {
      spans.setUp(end); // no span; a SELECT still tells the connection's database
      return false;
    }
    return spans.command(end, record, retention);
  }

  private boolean endTransaction(Entry closer, SpanEvent end, SpanRecord record, Retention retention) {
    Transaction transaction = closer.transaction;
    inFlight.remove(closer);
    if (transaction.done) {
      return false; // its MULTI was dropped meanwhile (counted then)
    }
    transaction.done = true;
    Object socket = transaction.opener.socket;
    Throwable failure = failure(end);
    // a reply the client measured when it was read stands, as a command's does; else EXEC's output is asked
    transaction.into(end, failure, failure != null ? null : end.reply != null ? end.reply : client.reply(end.command));
    inFlight.remove(transaction.opener);
    connection(end, socket);
    return spans.batch(end, record, retention);
  }

  /** What the command ended with: a failure, else its error reply. */
  private Throwable failure(SpanEvent end) {
    if (end.error == LettuceCompletionHooks.REDIRECTED) {
      return client.errorReply(end.command, (String) end.reply);
    }
    return end.error != null ? client.shown(end.error, end.reply) : client.errorReply(end.command);
  }

  /**
   * The connection as the span factory knows it: the channel the start captured (for the database
   * a SELECT on it chose, the handshake's included) and the server's address.
   */
  private void connection(SpanEvent event, Object channel) {
    event.connection = channel;
    event.socket = client.address(channel);
  }

  /** Drops, and counts, the starts that have waited longer than allowed for their end. */
  void expire(long nowNanos) {
    Entry oldest;
    while ((oldest = inFlight.oldest()) != null && nowNanos - oldest.startNanos > maxAgeNanos) {
      lose(oldest);
    }
  }

  /** Shutting down: every start still waiting is dropped and counted. */
  void abandonAll() {
    Entry oldest;
    while ((oldest = inFlight.oldest()) != null) {
      lose(oldest);
    }
  }

  /** Commands waiting for their end, for tests. */
  int inFlight() {
    return inFlight.size();
  }

  /** Takes {@code entry} out without a span; counts it when a span was owed for it. */
  private void lose(Entry entry) {
    boolean owed;
    if (entry.role == InFlightCommands.OPENER) {
      Transaction transaction = entry.transaction;
      owed = !transaction.done;
      transaction.done = true;
      if (open.get(transaction.connection) == transaction) {
        open.remove(transaction.connection);
      }
    } else {
      owed = entry.role == InFlightCommands.STANDALONE && !(entry.handshake && !handshakeSpans);
    }
    inFlight.remove(entry);
    if (owed) {
      counters.lost(1);
    }
  }
}
