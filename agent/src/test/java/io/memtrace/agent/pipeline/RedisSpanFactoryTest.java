package io.memtrace.agent.pipeline;

import io.memtrace.agent.span.SpanRecord;
import static io.memtrace.agent.pipeline.SpanRecords.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.redis.KeyPolicy;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Redis spans from ring events: handshake commands, and batches named by the conventions. */
class RedisSpanFactoryTest {

  private final RedisSpanFactory factory = new RedisSpanFactory(JedisArguments::decode,
      new KeyPolicy(true, List.of(), Pattern.compile("^(.*)[:/][^:/]*$")), false, new SpanClock(),
      Resource.empty(), InstrumentationScopeInfo.create("test"), new ChildBytes(), null);

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

  @Test
  void shouldGiveNoBatchSizeToABatchOfOneCommand() {
    SpanRecord one = batch("sync", 0, new String[] {"GET", "a"});

    assertThat(one.name()).isEqualTo("PIPELINE GET");
    assertThat(attribute(one, "db.operation.batch.size")).isNull();
  }
}
