package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.NamespaceRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facts added to another instrumentation's Redis span, each named as derived, and the ones it hid named unknown. */
class StatementKeysTest {

  @AfterEach
  void defaultRule() {
    StatementKeys.useNamespaceRule(NamespaceRule.defaultRule());
  }

  private static Map<String, Object> span(Object... pairs) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      attributes.put((String) pairs[i], pairs[i + 1]);
    }
    StatementKeys.derive(attributes);
    return attributes;
  }

  @Test
  void shouldAddTheKeyAndNamespaceOfAnIoredisSpanAndNameThemDerived() {
    Map<String, Object> span = span("db.system.name", "redis", "db.operation.name", "set",
        "db.query.text", "set aqe/test-plans:test-plan-user-service [3 other arguments]");
    assertThat(span).containsEntry("memory.key", "aqe/test-plans:test-plan-user-service")
        .containsEntry("memory.namespace", "aqe/test-plans")
        .containsEntry(StatementKeys.DERIVED, List.of("memory.key", "memory.namespace"))
        .containsEntry(StatementKeys.DERIVED_FROM, "db.query.text")
        .containsEntry(StatementKeys.UNKNOWN, "memory.ttl,memory.value_size")
        .as("the span's own operation name is kept").containsEntry("db.operation.name", "set");
  }

  @Test
  void shouldReadTheOlderConventionsAndFillTheOperationName() {
    Map<String, Object> span = span("db.system", "redis", "db.statement", "SET session:42 v EX 60");
    assertThat(span).containsEntry("memory.key", "session:42").containsEntry("memory.namespace", "session")
        .containsEntry("memory.ttl", 60L).containsEntry("memory.value_size", 1L)
        .containsEntry("db.operation.name", "SET").containsEntry(StatementKeys.DERIVED_FROM, "db.statement")
        .doesNotContainKey(StatementKeys.UNKNOWN);
    assertThat(span.get(StatementKeys.DERIVED)).asList()
        .containsExactly("db.operation.name", "memory.key", "memory.namespace", "memory.ttl", "memory.value_size");
  }

  @Test
  void shouldNameTheRedisOfTheOlderConventionsByTheCurrentNamesSoLineageFindsIt() {
    // redis-py's instrumentation: the older connection attributes, every argument hidden
    Map<String, Object> span = span("db.system", "redis", "db.statement", "GET ?", "net.peer.name", "127.0.0.1",
        "net.peer.port", 6379L, "db.redis.database_index", 2L);
    assertThat(span).containsEntry("server.address", "127.0.0.1").containsEntry("server.port", 6379L)
        .containsEntry("db.namespace", "2").containsEntry("net.peer.name", "127.0.0.1");
    assertThat(span.get(StatementKeys.DERIVED)).asList()
        .containsExactly("server.address", "server.port", "db.namespace", "db.operation.name");
    assertThat(span("db.system", "redis", "net.peer.name", "h")).as("a span with no statement is placed too")
        .containsEntry("server.address", "h").containsEntry(StatementKeys.DERIVED, List.of("server.address"));
    Map<String, Object> current = span("db.system.name", "redis", "server.address", "redis-a", "net.peer.name", "10.0.0.1",
        "db.namespace", "0", "db.redis.database_index", 5L);
    assertThat(current).as("the current names win")
        .containsEntry("server.address", "redis-a").containsEntry("db.namespace", "0")
        .doesNotContainKey(StatementKeys.DERIVED).doesNotContainKey(StatementKeys.DERIVED_FROM);
  }

  @Test
  void shouldSayATtlIsUnknownOnlyWhereTheStatementHidWhereItWouldBe() {
    assertThat(span("db.system", "redis", "db.statement", "SET s:1 ?").get(StatementKeys.UNKNOWN))
        .as("the Java agent: the value hidden, no options: no TTL").isEqualTo("memory.value_size");
    assertThat(span("db.system.name", "redis", "db.query.text", "set s:1 [1 other arguments]").get(StatementKeys.UNKNOWN))
        .as("Node: the one other argument is the value").isEqualTo("memory.value_size");
    assertThat(span("db.system", "redis", "db.statement", "SET s:1 ? ? ?").get(StatementKeys.UNKNOWN))
        .isEqualTo("memory.ttl,memory.value_size");
    assertThat(span("db.system.name", "redis", "db.query.text", "set s:1 [3 other arguments]").get(StatementKeys.UNKNOWN))
        .isEqualTo("memory.ttl,memory.value_size");
    assertThat(span("db.system", "redis", "db.statement", "SETEX s:1 ? ?").get(StatementKeys.UNKNOWN))
        .isEqualTo("memory.ttl,memory.value_size");
    assertThat(span("db.system", "redis", "db.statement", "SETEX s:1 60 ?")).containsEntry("memory.ttl", 60L)
        .containsEntry(StatementKeys.UNKNOWN, "memory.value_size");
    assertThat(span("db.system", "redis", "db.statement", "SET s:1 {\"a\":...").get(StatementKeys.UNKNOWN))
        .as("cut: options may have followed").isEqualTo("memory.ttl,memory.value_size");
  }

  @Test
  void shouldSayTheKeyIsUnknownWhereTheStatementHidIt() {
    Map<String, Object> span = span("db.system.name", "redis", "db.query.text", "SET ? ?");
    assertThat(span).doesNotContainKey("memory.key").doesNotContainKey("memory.namespace")
        .containsEntry(StatementKeys.UNKNOWN, "memory.key,memory.value_size")
        .as("named, so the report can count it apart").containsEntry(StatementKeys.DERIVED_FROM, "db.query.text")
        .containsEntry(StatementKeys.DERIVED, List.of("db.operation.name"));
  }

  @Test
  void shouldReadNoTtlOrSizeFromWordsThatReadTwoWays() {
    Map<String, Object> span = new LinkedHashMap<>(Map.of("db.system", "redis", "db.statement", "set a b v ex 60"));
    StatementKeys.derive(span, "github.com/redis/go-redis/extra/redisotel");
    assertThat(span).doesNotContainKey("memory.key").doesNotContainKey("memory.ttl")
        .doesNotContainKey("memory.value_size")
        .containsEntry(StatementKeys.UNKNOWN, "memory.key,memory.ttl,memory.value_size");
  }

  @Test
  void shouldLeaveMemtracesOwnSpansAndOtherDatabasesAlone() {
    Map<String, Object> own = span("db.system.name", "redis", "memory.key", "k", "db.query.text", "GET other");
    assertThat(own).containsEntry("memory.key", "k").doesNotContainKey(StatementKeys.DERIVED);
    Map<String, Object> sql = span("db.system.name", "postgresql", "db.query.text", "GET k");
    assertThat(sql).doesNotContainKey("memory.key");
    Map<String, Object> none = span("db.system.name", "redis");
    assertThat(none).hasSize(1);
    Map<String, Object> keyless = span("db.system.name", "redis", "db.operation.name", "PING", "db.query.text", "PING");
    assertThat(keyless).doesNotContainKey("memory.key").doesNotContainKey(StatementKeys.UNKNOWN)
        .doesNotContainKey(StatementKeys.DERIVED_FROM);
  }

  @Test
  void shouldTakeAPipelinesFirstKeyedCommand() {
    Map<String, Object> span = span("db.system.name", "redis", "db.query.text", "MULTI\nSET a:1 ?\nGET b:2\nEXEC");
    assertThat(span).containsEntry("memory.key", "a:1").containsEntry("memory.namespace", "a");
  }

  @Test
  void shouldNameNamespacesByTheConfiguredRule() {
    StatementKeys.useNamespaceRule(NamespaceRule.parse("^([^.]+)\\."));
    assertThat(span("db.system.name", "redis", "db.query.text", "GET tenant.key")).containsEntry("memory.namespace", "tenant");
    assertThat(span("db.system.name", "redis", "db.query.text", "GET plain")).doesNotContainKey("memory.namespace");
  }
}
