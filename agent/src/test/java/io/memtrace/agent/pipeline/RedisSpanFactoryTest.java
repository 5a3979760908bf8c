package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_BATCH_COMMAND;
import io.memtrace.agent.span.SpanRecord;
import static io.memtrace.agent.pipeline.SpanRecords.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.opentelemetry.api.trace.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis spans from ring events: handshake commands, and batches named by the conventions. */
class RedisSpanFactoryTest {

  private final RedisSpanFactory factory = PipelineFixture.redisSpans(JedisArguments::decode);

  private static List<byte[]> words(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String word : words) {
      args.add(word.getBytes(StandardCharsets.UTF_8));
    }
    return args;
  }

  private SpanRecord command(boolean handshake, Throwable error, String... command) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND;
    event.command = words(command);
    event.error = error;
    event.handshake = handshake;
    SpanRecord record = new SpanRecord();
    factory.command(event, record);
    return record;
  }

  private SpanRecord batch(String method, int notRecorded, String[]... commands) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_BATCH;
    event.batchCommands = new Object[16];
    event.batchArguments = new Object[16];
    for (int i = 0; i < commands.length; i++) {
      event.batchCommands[i] = words(commands[i]);
    }
    event.batchRecorded = commands.length;
    event.batchOverflow = notRecorded;
    event.batchMethod = method;
    SpanRecord record = new SpanRecord();
    factory.batch(event, record);
    return record;
  }

  @Test
  void shouldNotMakeAnErrorOfAHandshakeErrorReplyButKeepItsCode() {
    SpanRecord setInfo = command(true, new RuntimeException("ERR unknown subcommand 'SETINFO'"),
        "CLIENT", "SETINFO", "LIB-NAME", "jedis");

    assertThat(setInfo.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(setInfo.events()).as("no exception event").isEmpty();
    assertThat(attribute(setInfo, "db.response.status_code")).isEqualTo("ERR");
    assertThat(attribute(setInfo, "error.type")).isNull();
  }

  @Test
  void shouldStillMakeAnErrorOfTheSameReplyToTheApplicationsOwnCommand() {
    SpanRecord setInfo = command(false, new RuntimeException("ERR unknown subcommand 'SETINFO'"),
        "CLIENT", "SETINFO", "LIB-NAME", "jedis");

    assertThat(setInfo.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attribute(setInfo, "error.type")).isEqualTo("ERR");
  }

  @Test
  void shouldFollowTheDatabaseAHiddenHandshakeSelected() {
    Object connection = new Object();
    SpanEvent select = new SpanEvent();
    select.type = SpanEvent.Type.REDIS_SET_UP;
    select.connection = connection;
    select.command = words("SELECT", "2");
    factory.setUp(select);

    SpanEvent get = new SpanEvent();
    get.type = SpanEvent.Type.REDIS_COMMAND;
    get.connection = connection;
    get.command = words("GET", "k");
    SpanRecord record = new SpanRecord();
    factory.command(get, record);

    assertThat(attribute(record, "db.namespace")).isEqualTo("2");
  }

  private SpanRecord on(Object connection, boolean hidden, Throwable error, String... command) {
    SpanEvent event = new SpanEvent();
    event.type = hidden ? SpanEvent.Type.REDIS_SET_UP : SpanEvent.Type.REDIS_COMMAND;
    event.connection = connection;
    event.command = words(command);
    event.error = error;
    event.handshake = hidden;
    SpanRecord record = new SpanRecord();
    if (hidden) {
      factory.setUp(event);
    } else {
      factory.command(event, record);
    }
    return record;
  }

  @Test
  void shouldMarkReadsOfAConnectionThatSaidReadOnlyUntilItSaysReadWrite() {
    Object replica = new Object();
    Object master = new Object();
    on(replica, true, null, "READONLY"); // Jedis and Lettuce say it while they set the connection up
    on(master, false, null, "GET", "k");

    assertThat(attribute(on(replica, false, null, "GET", "k"), "memtrace.redis.replica")).isEqualTo(true);
    assertThat(attribute(on(master, false, null, "GET", "k"), "memtrace.redis.replica")).isNull();

    SpanRecord readWrite = on(replica, false, null, "READWRITE");
    assertThat(attribute(readWrite, "memtrace.redis.replica")).as("its own span is no longer a replica read").isNull();
    assertThat(attribute(on(replica, false, null, "GET", "k"), "memtrace.redis.replica")).isNull();
  }

  @Test
  void shouldNotMarkAReadOnlyConnectionToANodeTheClustersSlotsNameAMaster() {
    Object toMaster = new Object();
    Object toReplica = new Object();
    java.net.InetSocketAddress master = new java.net.InetSocketAddress("127.0.0.1", 7000);
    java.net.InetSocketAddress replica = new java.net.InetSocketAddress("127.0.0.1", 7001);
    on(toMaster, true, null, "READONLY"); // Jedis says it on every connection of a client that reads from replicas
    on(toReplica, true, null, "READONLY");
    assertThat(attribute(at(toMaster, master, null, "GET", "k"), "memtrace.redis.replica"))
        .as("nothing known of the topology yet: READONLY says it").isEqualTo(true);

    at(toMaster, master, List.of(List.of(0L, 16383L, List.of("127.0.0.1".getBytes(StandardCharsets.UTF_8), 7000L),
        List.of("127.0.0.1".getBytes(StandardCharsets.UTF_8), 7001L))), "CLUSTER", "SLOTS");

    assertThat(attribute(at(toMaster, master, null, "GET", "k"), "memtrace.redis.replica")).isNull();
    assertThat(attribute(at(toReplica, replica, null, "GET", "k"), "memtrace.redis.replica")).isEqualTo(true);
  }

  private SpanRecord at(Object connection, Object socket, Object reply, String... command) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND;
    event.connection = connection;
    event.socket = socket;
    event.reply = reply;
    event.command = words(command);
    SpanRecord record = new SpanRecord();
    factory.command(event, record);
    return record;
  }

  @Test
  void shouldCountWhatADeleteRemovedSoThatADeleteOfAKeyAlreadyGoneChangesNothing() {
    Object connection = new Object();
    assertThat(attribute(at(connection, null, 0L, "DEL", "k:1"), "memory.result_count")).isEqualTo(0L);
    assertThat(attribute(at(connection, null, 1L, "UNLINK", "k:1"), "memory.result_count")).isEqualTo(1L);
    assertThat(attribute(at(connection, null, 0L, "MOVE", "k:1", "2"), "memory.result_count")).isEqualTo(0L);
    assertThat(attribute(at(connection, null, 0L, "DEL", "k:1"), "memory.found"))
        .as("not a read: the hit rate counts reads only").isNull();
    assertThat(attribute(at(connection, null, "OK", "SET", "k:1", "v"), "memory.result_count")).isNull();
  }

  @Test
  void shouldNotMarkAConnectionWhoseReadOnlyFailed() {
    Object connection = new Object();
    on(connection, false, new RuntimeException("ERR This instance has cluster support disabled"), "READONLY");

    assertThat(attribute(on(connection, false, null, "GET", "k"), "memtrace.redis.replica")).isNull();
  }

  @Test
  void shouldMarkAPipelineReadFromAReplica() {
    Object connection = new Object();
    on(connection, true, null, "READONLY");
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_BATCH;
    event.connection = connection;
    event.batchCommands = new Object[] {words("GET", "a"), words("GET", "b")};
    event.batchArguments = new Object[2];
    event.batchRecorded = 2;
    event.batchMethod = "sync";
    SpanRecord record = new SpanRecord();
    factory.batch(event, record);

    assertThat(attribute(record, "memtrace.redis.replica")).isEqualTo(true);
  }

  @Test
  void shouldNameAPipelineAndATransactionAsTheConventionsDo() {
    SpanRecord pipeline = batch("sync", 0, new String[] {"SET", "a", "1"}, new String[] {"SET", "b", "2"});
    assertThat(pipeline.name()).isEqualTo("PIPELINE SET");
    assertThat(attribute(pipeline, "db.operation.name")).isEqualTo("PIPELINE SET");
    assertThat(attribute(pipeline, "db.operation.batch.size")).isEqualTo(2L);

    SpanRecord transaction = batch("exec", 0, new String[] {"MULTI"}, new String[] {"SET", "a", "1"},
        new String[] {"INCR", "n"}, new String[] {"EXEC"});
    assertThat(transaction.name()).isEqualTo("MULTI");
    assertThat(attribute(transaction, "db.operation.name")).isEqualTo("MULTI");
    assertThat(attribute(transaction, "db.operation.batch.size")).isEqualTo(2L);
    assertThat(attribute(transaction, "db.query.text")).isEqualTo("SET a ?; INCR n");
  }

  private SpanRecord batch(String method, Object[] replies, String[]... commands) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_BATCH;
    event.batchCommands = new Object[16];
    event.batchArguments = new Object[16];
    event.batchReplies = new Object[16];
    for (int i = 0; i < commands.length; i++) {
      event.batchCommands[i] = words(commands[i]);
      event.batchReplies[i] = replies[i];
    }
    event.batchRecorded = commands.length;
    event.batchMethod = method;
    SpanRecord record = new SpanRecord();
    factory.batch(event, record);
    return record;
  }

  /** Each batch key event as "COMMAND key ttl=T removed=N size=S". */
  private static List<String> keyEvents(SpanRecord batch) {
    return batch.events().stream().filter(e -> e.getName().equals(MEMTRACE_BATCH_COMMAND)).map(e -> {
      io.opentelemetry.api.common.Attributes a = e.getAttributes();
      return a.get(io.opentelemetry.api.common.AttributeKey.stringKey("db.operation.name")) + " "
          + a.get(io.opentelemetry.api.common.AttributeKey.stringKey("memory.key"))
          + " ttl=" + a.get(io.opentelemetry.api.common.AttributeKey.longKey("memory.ttl"))
          + " removed=" + a.get(io.opentelemetry.api.common.AttributeKey.longKey("memory.result_count"))
          + " size=" + a.get(io.opentelemetry.api.common.AttributeKey.longKey("memory.value_size"));
    }).collect(java.util.stream.Collectors.toList());
  }

  @Test
  void shouldListAPipelinesChangesOfEachKeyWithWhatTheirRepliesSay() {
    SpanRecord pipeline = batch("sync", new Object[] {"OK".getBytes(StandardCharsets.UTF_8), 1L, 0L, null, 1L},
        new String[] {"SET", "t:a", "abc", "EX", "30"}, new String[] {"DEL", "t:b"}, new String[] {"UNLINK", "t:c"},
        new String[] {"GET", "t:a"}, new String[] {"PEXPIRE", "t:a", "5000"});

    assertThat(keyEvents(pipeline)).containsExactly("SET t:a ttl=30 removed=null size=3",
        "DEL t:b ttl=null removed=1 size=null", "UNLINK t:c ttl=null removed=0 size=null",
        "PEXPIRE t:a ttl=5 removed=null size=null");
    assertThat(attribute(pipeline, "memory.key")).as("the span itself still names no key").isNull();
  }

  @Test
  void shouldTakeATransactionsRepliesFromItsExec() {
    SpanRecord transaction = batch("exec", new Object[] {null, null, null, List.of(0L, "OK".getBytes(
        StandardCharsets.UTF_8))}, new String[] {"MULTI"}, new String[] {"DEL", "t:a"},
        new String[] {"SET", "t:b", "v"}, new String[] {"EXEC"});

    assertThat(keyEvents(transaction)).containsExactly("DEL t:a ttl=null removed=0 size=null",
        "SET t:b ttl=null removed=null size=1");
  }

  @Test
  void shouldListNothingOfATransactionThatDidNotRun() {
    SpanRecord aborted = batch("exec", new Object[] {null, null, null}, new String[] {"MULTI"},
        new String[] {"SET", "t:b", "v"}, new String[] {"EXEC"});
    SpanRecord discarded = batch("discard", new Object[] {null, null, null}, new String[] {"MULTI"},
        new String[] {"SET", "t:b", "v"}, new String[] {"DISCARD"});

    assertThat(keyEvents(aborted)).as("WATCH aborted it: EXEC replied nil").isEmpty();
    assertThat(keyEvents(discarded)).isEmpty();
  }

  @Test
  void shouldGiveNoBatchSizeToABatchOfOneCommand() {
    SpanRecord one = batch("sync", 0, new String[] {"GET", "a"});

    assertThat(one.name()).isEqualTo("PIPELINE GET");
    assertThat(attribute(one, "db.operation.batch.size")).isNull();
  }
}
