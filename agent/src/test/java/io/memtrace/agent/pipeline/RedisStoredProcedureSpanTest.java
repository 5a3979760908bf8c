package io.memtrace.agent.pipeline;

import io.memtrace.agent.span.SpanRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code db.stored_procedure.name} on the span of a script or function called by name. */
class RedisStoredProcedureSpanTest {

  private final RedisSpanFactory factory = PipelineFixture.redisSpans(JedisArguments::decode);

  private SpanRecord span(String... command) {
    List<byte[]> args = new ArrayList<>();
    for (String word : command) {
      args.add(word.getBytes(StandardCharsets.UTF_8));
    }
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND;
    event.command = args;
    event.replyLength = -1;
    SpanRecord record = new SpanRecord();
    factory.command(event, record);
    return record;
  }

  private static String attribute(SpanRecord record, String key) {
    return (String) SpanRecords.attribute(record, key);
  }


  @Test
  void shouldNameTheScriptOfEvalshaAndTheFunctionOfFcall() {
    String sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";

    assertThat(attribute(span("EVALSHA", sha, "1", "lock:1", "me"), "db.stored_procedure.name")).isEqualTo(sha);
    assertThat(attribute(span("FCALL_RO", "count_chat", "0"), "db.stored_procedure.name")).isEqualTo("count_chat");
  }

  @Test
  void shouldNameNoProcedureForEvalOrAPlainCommand() {
    assertThat(attribute(span("EVAL", "return 1", "0"), "db.stored_procedure.name")).isNull();
    assertThat(attribute(span("GET", "k"), "db.stored_procedure.name")).isNull();
    assertThat(attribute(span("GET", "k"), "db.query.text")).isEqualTo("GET k");
  }
}
