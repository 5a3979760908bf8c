package io.memtrace.agent.pipeline;

import static io.memtrace.agent.pipeline.SpanRecords.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import io.memtrace.agent.bootstrap.LettuceHooks;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.redis.AsyncClient;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.trace.StatusCode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Starts and ends of commands paired on the consumer by the command object, into spans; what is
 * left over is counted once, as dropped, and ends without a start count nothing.
 */
class AsyncCommandSpansTest {

  /** A stand-in for a Lettuce command: its words, and what it completed with. */
  static final class Command {
    final String[] words;
    Object reply;
    Throwable errorReply;

    Command(String... words) {
      this.words = words;
    }
  }

  /** What LettuceObjects reads from Lettuce's objects, read from the stand-ins. */
  static final class Client implements AsyncClient {
    final InetSocketAddress address = InetSocketAddress.createUnresolved("redis.local", 6380);
    final InetSocketAddress otherAddress = InetSocketAddress.createUnresolved("redis.local", 6381);
    final Object other = new Object();

    @Override
    public CommandDecoder decoder() {
      return (command, arguments, out) -> {
        out.clear();
        for (String word : ((Command) command).words) {
          out.add(word.getBytes(StandardCharsets.UTF_8));
        }
        return out;
      };
    }

    @Override
    public Framing framing(Object command) {
      String name = ((Command) command).words[0];
      return name.equals("MULTI") ? Framing.MULTI : name.equals("EXEC") ? Framing.EXEC
          : name.equals("DISCARD") ? Framing.DISCARD : Framing.NONE;
    }

    @Override
    public Object reply(Object command) {
      return ((Command) command).reply;
    }

    @Override
    public Throwable errorReply(Object command) {
      return ((Command) command).errorReply;
    }

    @Override
    public Throwable errorReply(Object command, String message) {
      return new IllegalStateException(message);
    }

    @Override
    public InetSocketAddress address(Object channel) {
      return channel == null ? null : channel == other ? otherAddress : address;
    }
  }

  private final HealthCounters counters = new HealthCounters();
  private final Client client = new Client();
  private final RedisSpanFactory factory = PipelineFixture.redisSpans(client.decoder());
  private final AsyncCommandSpans spans = new AsyncCommandSpans(factory, client, false, counters, 3, 1_000);
  private final Object endpoint = new Object();
  private final Object channel = new Object();

  private SpanEvent start(Command command, long spanId, long startNanos) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND_START;
    event.command = command;
    event.connection = endpoint;
    event.socket = channel;
    event.spanId = spanId;
    event.traceIdLow = 1;
    event.parentSpanId = 77;
    event.startNanos = startNanos;
    return event;
  }

  private void started(Command command, long spanId) {
    spans.started(start(command, spanId, spanId));
  }

  private void queued(Command command, long spanId) {
    SpanEvent event = start(command, spanId, spanId);
    event.arguments = LettuceHooks.IN_TRANSACTION;
    spans.started(event);
  }

  /** The span the end of {@code command} makes, or null. */
  private SpanRecord ended(Command command, Throwable error) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND_END;
    event.command = command;
    event.endNanos = 500;
    event.error = error;
    SpanRecord record = new SpanRecord();
    return spans.ended(event, record) ? record : null;
  }

  @Test
  void shouldPairEachEndWithTheStartOfTheSameCommandInWhateverOrderTheyEnd() {
    Command set = new Command("SET", "user:1", "four");
    Command get = new Command("GET", "user:2");
    get.reply = "twelve bytes";
    started(set, 1);
    started(get, 2);

    SpanRecord getSpan = ended(get, null);
    SpanRecord setSpan = ended(set, null);

    assertThat(getSpan.spanId).isEqualTo(2);
    assertThat(getSpan.parentSpanId).as("the parent where it was dispatched").isEqualTo(77);
    assertThat(attribute(getSpan, "memory.key")).isEqualTo("user:2");
    assertThat(attribute(getSpan, "memory.value_size")).isEqualTo(12L);
    assertThat(attribute(getSpan, "memory.found")).isEqualTo(true);
    assertThat(attribute(getSpan, "server.port")).isEqualTo(6380L);
    assertThat(setSpan.spanId).isEqualTo(1);
    assertThat(attribute(setSpan, "memory.value_size")).isEqualTo(4L);
    assertThat(spans.inFlight()).isZero();
    assertThat(counters.produced.get()).as("the consumer counts spans it builds when it exports them").isZero();
  }

  @Test
  void shouldMakeAnErrorReplyTheSpansError() {
    Command lpush = new Command("LPUSH", "user:1", "x");
    lpush.errorReply = new IllegalStateException("WRONGTYPE Operation against a key holding the wrong kind of value");
    started(lpush, 1);

    SpanRecord span = ended(lpush, null);

    assertThat(span.statusCode).isEqualTo(StatusCode.ERROR);
    assertThat(attribute(span, "error.type")).isEqualTo("WRONGTYPE");
    assertThat(attribute(span, "memory.value_size")).as("nothing written").isNull();
  }

  /**
   * A client that measures replies on the wire (Redisson) sends the reply with the end: it stands
   * over what the command object holds; an error is shown as the client says.
   */
  @Test
  void shouldTakeTheReplyTheEndCarriesAndShowTheErrorAsTheClientSays() {
    Command get = new Command("GET", "user:2");
    get.reply = "what the client would read from the command";
    started(get, 1);
    SpanEvent end = new SpanEvent();
    end.type = SpanEvent.Type.REDIS_COMMAND_END;
    end.command = get;
    end.endNanos = 500;
    end.reply = io.memtrace.agent.bootstrap.RespReplies.measure(
        java.nio.ByteBuffer.wrap("$5\r\nfive!\r\n".getBytes(StandardCharsets.US_ASCII)));
    SpanRecord record = new SpanRecord();

    assertThat(spans.ended(end, record)).isTrue();
    assertThat(attribute(record, "memory.value_size")).isEqualTo(5L);
    assertThat(attribute(record, "memory.found")).isEqualTo(true);
    assertThat(spans.owns(get)).as("a client without an answer of its own owns everything").isTrue();
    assertThat(spans.owns(null)).isFalse();
  }

  @Test
  void shouldMakeNoSpanAndCountNothingForAnEndWithoutStartOrASecondEnd() {
    Command get = new Command("GET", "k");
    assertThat(ended(get, null)).as("dispatched before memtrace started, or its start counted when lost").isNull();
    started(get, 1);
    assertThat(ended(get, null)).isNotNull();

    assertThat(ended(get, new java.util.concurrent.CancellationException())).as("completed twice").isNull();
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldKeepTheFirstStartOfACommandDispatchedTwice() {
    Command get = new Command("GET", "k");
    started(get, 1);
    started(get, 2);

    assertThat(ended(get, null).spanId).isEqualTo(1);
    assertThat(spans.inFlight()).isZero();
  }

  @Test
  void shouldMakeEachAttemptOfARedirectedCommandASpanOfTheNodeThatAnsweredUnderTheSameParent() {
    Command get = new Command("GET", "user:1");
    started(get, 1);
    SpanEvent moved = new SpanEvent();
    moved.type = SpanEvent.Type.REDIS_COMMAND_END;
    moved.command = get;
    moved.endNanos = 300;
    moved.error = LettuceCompletionHooks.REDIRECTED;
    moved.reply = "MOVED 3999 127.0.0.1:7002";
    SpanRecord first = new SpanRecord();
    assertThat(spans.ended(moved, first)).isTrue();
    SpanEvent retry = start(get, 2, 400); // on the event loop that read the MOVED: no parent there
    retry.socket = client.other;
    retry.traceIdLow = 9;
    retry.parentSpanId = 0;
    spans.started(retry);
    get.reply = "four";
    SpanRecord second = ended(get, null);

    assertThat(first.statusCode).isEqualTo(StatusCode.ERROR);
    assertThat(attribute(first, "db.response.status_code")).isEqualTo("MOVED");
    assertThat(attribute(first, "server.port")).isEqualTo(6380L);
    assertThat(attribute(first, "memory.found")).as("the retry's reply is not the attempt's").isNull();
    assertThat(second.spanId).isEqualTo(2);
    assertThat(second.traceIdLow).as("the first attempt's trace").isEqualTo(1);
    assertThat(second.parentSpanId).isEqualTo(77);
    assertThat(second.statusCode).isNotEqualTo(StatusCode.ERROR);
    assertThat(attribute(second, "server.port")).isEqualTo(6381L);
    assertThat(attribute(second, "memory.value_size")).isEqualTo(4L);
    assertThat(spans.inFlight()).isZero();
  }

  @Test
  void shouldNameTheChannelThatAnsweredACommandWrittenAfterAReconnection() {
    Command set = new Command("SET", "user:1", "four");
    started(set, 1); // the endpoint's channel then: the connection that was closed
    SpanEvent end = new SpanEvent();
    end.command = set;
    end.socket = client.other; // read on the new connection, to the new primary
    SpanRecord span = new SpanRecord();
    assertThat(spans.ended(end, span)).isTrue();

    assertThat(attribute(span, "server.port")).isEqualTo(6381L);
  }

  @Test
  void shouldForgetARedirectionWhoseRetryFailedBeforeItWasWritten() {
    Command get = new Command("GET", "user:1");
    started(get, 1);
    SpanEvent moved = new SpanEvent();
    moved.command = get;
    moved.error = LettuceCompletionHooks.REDIRECTED;
    moved.reply = "MOVED 3999 127.0.0.1:7002";
    assertThat(spans.ended(moved, new SpanRecord())).isTrue();

    assertThat(ended(get, new IllegalStateException("no connection to 127.0.0.1:7002"))).as("no start of its own")
        .isNull();
    SpanEvent later = start(get, 3, 600);
    later.traceIdLow = 5;
    spans.started(later);
    assertThat(ended(get, null).traceIdLow).as("a later dispatch of the object inherits nothing").isEqualTo(5);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldMakeATransactionOneSpanWithTheIdsOfItsMulti() {
    Command multi = new Command("MULTI");
    Command set = new Command("SET", "tx:1", "a");
    Command incr = new Command("INCR", "tx:counter");
    Command exec = new Command("EXEC");
    started(multi, 1);
    queued(set, 2);
    queued(incr, 3);
    assertThat(ended(multi, null)).isNull();
    assertThat(ended(set, null)).as("answered QUEUED").isNull();
    started(exec, 4);
    assertThat(ended(incr, null)).isNull();

    SpanRecord transaction = ended(exec, null);

    assertThat(transaction.name).isEqualTo("MULTI");
    assertThat(transaction.spanId).isEqualTo(1);
    assertThat(transaction.startEpochNanos).isLessThan(transaction.endEpochNanos);
    assertThat(attribute(transaction, "db.operation.batch.size")).isEqualTo(2L);
    assertThat(attribute(transaction, "db.query.text")).isEqualTo("SET tx:1 ?; INCR tx:counter");
    assertThat(spans.inFlight()).isZero();
  }

  /** A Lettuce transaction's commands as its span lists them ("COMMAND key removed=N"), from its EXEC's reply. */
  private SpanRecord transaction(Object execReply) {
    Command multi = new Command("MULTI");
    Command set = new Command("SET", "tx:1", "a");
    Command get = new Command("GET", "tx:1");
    Command del = new Command("DEL", "tx:2");
    Command exec = new Command("EXEC");
    exec.reply = execReply;
    started(multi, 1);
    assertThat(ended(multi, null)).isNull();
    long id = 2;
    for (Command c : List.of(set, get, del)) { // each answered QUEUED (three in flight at most here)
      queued(c, id++);
      assertThat(ended(c, null)).isNull();
    }
    started(exec, id);
    return ended(exec, null);
  }

  private static List<String> listed(SpanRecord transaction) {
    return transaction.events().stream().filter(e -> e.getName().equals("memtrace.batch.command"))
        .map(e -> e.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("db.operation.name")) + " "
            + e.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("memory.key")) + " removed="
            + e.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("memory.result_count")))
        .collect(java.util.stream.Collectors.toList());
  }

  @Test
  void shouldListTheCommandsOfATransactionThatRanAsAJedisTransactionsSpanDoes() {
    // Lettuce's TransactionResult: an Iterable of the queued commands' replies, not a List
    Iterable<Object> ran = List.<Object>of("OK", "a", 1L)::iterator;
    assertThat(listed(transaction(ran))).containsExactly("SET tx:1 removed=null", "DEL tx:2 removed=1");
    Iterable<Object> aborted = List.<Object>of()::iterator; // WATCH aborted it: nothing ran
    assertThat(listed(transaction(aborted))).isEmpty();
    assertThat(listed(transaction(null))).as("the reply not known").isEmpty();
  }

  @Test
  void shouldNameADiscardedTransactionAfterItsCommandsWithoutError() {
    Command multi = new Command("MULTI");
    Command set = new Command("SET", "tx:1", "a");
    Command discard = new Command("DISCARD");
    started(multi, 1);
    queued(set, 2);
    ended(multi, null);
    ended(set, null);
    started(discard, 3);

    SpanRecord transaction = ended(discard, null);

    assertThat(transaction.name).isEqualTo("MULTI SET");
    assertThat(transaction.statusCode).isEqualTo(StatusCode.UNSET);
    assertThat(attribute(transaction, "db.operation.batch.size")).isNull();
  }

  @Test
  void shouldLeaveCommandsOutsideATransactionOnOtherConnectionsAlone() {
    Command multi = new Command("MULTI");
    started(multi, 1);
    Command other = new Command("GET", "k");
    SpanEvent elsewhere = start(other, 2, 2);
    elsewhere.connection = new Object();
    spans.started(elsewhere);

    assertThat(ended(other, null)).as("its own span").isNotNull();
  }

  @Test
  void shouldCountAStartWhoseEndNeverCameOnceWhenItExpires() {
    Command get = new Command("GET", "k");
    spans.started(start(get, 1, 0));

    spans.expire(1_000);
    assertThat(counters.dropped.get()).as("not older than allowed yet").isZero();
    spans.expire(1_001);

    assertThat(counters.dropped.get()).isEqualTo(1);
    assertThat(counters.produced.get()).isEqualTo(1);
    assertThat(ended(get, null)).as("too late: already counted").isNull();
    assertThat(counters.dropped.get()).isEqualTo(1);
  }

  @Test
  void shouldDropAndCountTheOldestStartWhenFull() {
    Command first = new Command("GET", "a");
    started(first, 1);
    started(new Command("GET", "b"), 2);
    started(new Command("GET", "c"), 3);

    started(new Command("GET", "d"), 4);

    assertThat(counters.dropped.get()).isEqualTo(1);
    assertThat(spans.inFlight()).isEqualTo(3);
    assertThat(ended(first, null)).isNull();
  }

  @Test
  void shouldCountEveryWaitingSpanOnceAtShutdownATransactionAsOne() {
    started(new Command("MULTI"), 1);
    queued(new Command("SET", "tx", "a"), 2);
    started(new Command("GET", "k"), 3);

    spans.abandonAll();

    assertThat(counters.dropped.get()).isEqualTo(2);
    assertThat(spans.inFlight()).isZero();
  }

  @Test
  void shouldFollowAHiddenHandshakeSelectWithoutSpanOrDrop() {
    Command select = new Command("SELECT", "2");
    SpanEvent handshake = start(select, 1, 1);
    handshake.handshake = true;
    spans.started(handshake);
    Command hello = new Command("HELLO", "3");
    SpanEvent lost = start(hello, 2, 2);
    lost.handshake = true;
    spans.started(lost);

    assertThat(ended(select, null)).as("hidden").isNull();
    Command get = new Command("GET", "k");
    started(get, 3);
    SpanRecord span = ended(get, null);
    spans.abandonAll();

    assertThat(attribute(span, "db.namespace")).as("the channel's database").isEqualTo("2");
    assertThat(counters.dropped.get()).as("a hidden command owes no span").isZero();
  }

  /** An executor that sent {@code GET k} inside the span of {@link #start} (its span 1), ended with {@code error}. */
  private Object executorAfterAGet(Throwable error) {
    Object executor = new Object();
    Command get = new Command("GET", "k");
    SpanEvent attempt = start(get, 1, 1);
    attempt.self = executor;
    spans.started(attempt);
    assertThat(ended(get, error)).as("the attempt's span").isNotNull();
    return executor;
  }

  /** The start of an attempt sent by {@code origin} on a thread where no span is current. */
  private SpanEvent retry(Command command, long spanId, Object origin) {
    SpanEvent event = start(command, spanId, spanId);
    event.parentSpanId = 0;
    event.traceIdLow = 9;
    event.self = origin;
    return event;
  }

  /**
   * Redisson follows a MOVED or ASK on its event loop and retries a timeout on its timer, where no
   * span is current: the retry, and the ASKING sent with it, are children of the span the failed
   * attempt had, in its trace, since one executor sent them all.
   */
  @Test
  void shouldGiveARetryTheParentOfTheFailedAttemptItsOriginSent() {
    Object executor = executorAfterAGet(new IllegalStateException("ASK 3999 127.0.0.1:7001"));

    Command asking = new Command("ASKING");
    Command second = new Command("GET", "k");
    spans.started(retry(asking, 2, executor));
    spans.started(retry(second, 3, executor));
    SpanRecord askingSpan = ended(asking, null);
    SpanRecord retried = ended(second, null);

    for (SpanRecord span : List.of(askingSpan, retried)) {
      assertThat(span.parentSpanId).isEqualTo(77);
      assertThat(span.traceIdLow).as("the failed attempt's trace").isEqualTo(1);
    }
    assertThat(retried.spanId).isEqualTo(3);
  }

  @Test
  void shouldLeaveAStartWithoutParentAloneUnlessItsOriginFailedInASpan() {
    Object executor = executorAfterAGet(null);
    Command rootless = new Command("GET", "other");
    spans.started(retry(rootless, 2, new Object()));
    Command failed = new Command("GET", "k");
    SpanEvent noParent = retry(failed, 3, executor);
    spans.started(noParent);
    ended(failed, new IllegalStateException("MOVED 3999 127.0.0.1:7001"));

    assertThat(ended(rootless, null).parentSpanId).as("another origin").isZero();
    Command next = new Command("GET", "k");
    spans.started(retry(next, 4, executor));
    SpanRecord span = ended(next, null);
    assertThat(span.parentSpanId).as("its origin succeeded, then failed outside any span").isZero();
    assertThat(span.traceIdLow).isEqualTo(9);
  }

  @Test
  void shouldKeepTheParentARetryHasOfItsOwn() {
    Object executor = executorAfterAGet(new IllegalStateException("MOVED 3999 127.0.0.1:7001"));
    Command second = new Command("GET", "k");
    SpanEvent own = start(second, 2, 2);
    own.parentSpanId = 55;
    own.self = executor;
    spans.started(own);

    assertThat(ended(second, null).parentSpanId).isEqualTo(55);
  }
}
