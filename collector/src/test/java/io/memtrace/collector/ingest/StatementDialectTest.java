package io.memtrace.collector.ingest;

import static io.memtrace.collector.ingest.InstrumentationScopes.GO;
import static io.memtrace.collector.ingest.InstrumentationScopes.IOREDIS;
import static io.memtrace.collector.ingest.InstrumentationScopes.JEDIS;
import static io.memtrace.collector.ingest.InstrumentationScopes.LETTUCE;
import static io.memtrace.collector.ingest.InstrumentationScopes.NODE_REDIS;
import static io.memtrace.collector.ingest.InstrumentationScopes.PYTHON;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The statements each instrumentation writes (the examples of docs/redis-statements.md, read from their sources), and
 * the same with a key that held a space: the key where the words show it, unknown where they cannot, never wrong.
 */
class StatementDialectTest {

  private static Object key(String scope, String statement, Object... extra) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("db.system.name", "redis");
    attributes.put("db.query.text", statement);
    for (int i = 0; i < extra.length; i += 2) {
      attributes.put((String) extra[i], extra[i + 1]);
    }
    StatementKeys.derive(attributes, scope);
    return attributes.get("memory.key");
  }

  @Test
  void shouldReadNodesStatementsAndRefuseOnesWhereAKeyHeldASpace() {
    assertThat(key(IOREDIS, "set k [3 other arguments]")).isEqualTo("k");
    assertThat(key(IOREDIS, "get k")).isEqualTo("k");
    assertThat(key(IOREDIS, "mset k1 [3 other arguments]")).isEqualTo("k1");
    assertThat(key(IOREDIS, "del k1")).isEqualTo("k1");
    assertThat(key(IOREDIS, "del k1 k2")).as("every key kept: also the one key \"k1 k2\"").isNull();
    assertThat(key(IOREDIS, "hset h f [1 other arguments]")).isEqualTo("h");
    assertThat(key(NODE_REDIS, "SET k [3 other arguments]")).isEqualTo("k");
    assertThat(key(NODE_REDIS, "HSET h f [1 other arguments]")).isEqualTo("h");
    // the key lost: a command redis-common keeps nothing of
    assertThat(key(IOREDIS, "hget [2 other arguments]")).isNull();
    assertThat(key(IOREDIS, "ttl [1 other arguments]")).isNull();
    // SET keeps one argument: two words before the mark are a key with a space
    assertThat(key(IOREDIS, "set my key [1 other arguments]")).isNull();
    assertThat(key(NODE_REDIS, "HSET my h f [1 other arguments]")).isNull();
    assertThat(key(IOREDIS, "get my key")).as("GET takes one key and nothing else").isNull();
    // Node writes no ?, cuts nothing and keeps newlines: all the key's own; a mark is one only where Node puts it
    assertThat(key(IOREDIS, "get ?")).isEqualTo("?");
    assertThat(key(IOREDIS, "get tail...")).isEqualTo("tail...");
    assertThat(key(IOREDIS, "get line\nbreak")).isEqualTo("line\nbreak");
    assertThat(key(IOREDIS, "set x [1 other arguments] [1 other arguments]")).as("key \"x [1 other arguments]\"")
        .isNull();
    assertThat(key(IOREDIS, "get [2 other arguments]")).as("GET keeps all: no mark").isNull();
  }

  @Test
  void shouldReadTheJavaAgentsSanitizedStatementsAndItsBatches() {
    assertThat(key(JEDIS, "SET k ? ? ?")).isEqualTo("k");
    assertThat(key(LETTUCE, "SET TESTSETKEY ?")).isEqualTo("TESTSETKEY");
    assertThat(key(JEDIS, "MSET k1 ? k2 ?")).isEqualTo("k1");
    assertThat(key(JEDIS, "HSET h f ?")).isEqualTo("h");
    assertThat(key(JEDIS, "SETEX k 10 ?")).isEqualTo("k");
    assertThat(key(JEDIS, "FOO ?")).isNull();
    // a key with a space: a second plain word where the sanitizer writes ?
    assertThat(key(JEDIS, "SET my key ?")).isNull();
    assertThat(key(JEDIS, "MSET my key ? k2 ?")).isNull();
    assertThat(key(JEDIS, "HSET my h f ?")).isNull();
    // a batch span (PIPELINE, MULTI) joins its commands with ';' or '; '
    assertThat(key(JEDIS, "SET k ?;GET k", "db.operation.name", "PIPELINE")).isEqualTo("k");
    assertThat(key(JEDIS, "SET k ?; GET k", "db.operation.batch.size", 2L)).isEqualTo("k");
    assertThat(key(JEDIS, "SET a;b ?; GET c", "db.operation.name", "PIPELINE")).as("a key with ';' split: SET a too short")
        .isNull();
    assertThat(key(JEDIS, "GET a;b")).as("not a batch: the ';' is the key's").isEqualTo("a;b");
    assertThat(key(JEDIS, "GET a;b; SET c ?", "db.operation.name", "PIPELINE")).as("b names no command").isNull();
    assertThat(key(JEDIS, "GET a;GET b; SET c ?", "db.operation.batch.size", 2L)).as("3 commands in a batch of 2")
        .isNull();
    // GET keeps every argument, so its ? is the key's own; SET keeps one, so "SET a ? ?" is SET a with two values
    assertThat(key(JEDIS, "DEL a ?")).isNull();
    assertThat(key(JEDIS, "GET " + "k".repeat(32 * 1024 - 4))).as("cut at 32 KiB with no mark").isNull();
  }

  @Test
  void shouldReadGoRedisStatementsButNotWordsThatMayBeHex() {
    assertThat(key(GO, "set k v ex 10")).isEqualTo("k");
    assertThat(key(GO, "mset k1 v1")).isEqualTo("k1");
    assertThat(key(GO, "mset k1 v1 k2 v2")).as("also MSET \"k1 v1 k2\" v2").isNull();
    assertThat(key(GO, "set a b v ex 3600")).as("key \"a b\": v where an option must be").isNull();
    assertThat(key(GO, "set k v nx")).as("also key \"k v\" with value nx").isNull();
    assertThat(key(GO, "expire k 60 nx")).isEqualTo("k");
    assertThat(key(GO, "get ?")).as("go-redis writes no ?").isEqualTo("?");
    assertThat(key(GO, "set a b nx")).as("key \"a b\" with value nx, or key a with NX").isNull();
    assertThat(key(GO, "get user:42")).isEqualTo("user:42");
    assertThat(key(GO, "get 636166c3a9")).as("café written as hex, or a key of hex digits: unknown").isNull();
    assertThat(key(GO, "get " + "k".repeat(64))).as("cut to 64 bytes before v9.8").isNull();
    assertThat(key(GO, "set k v ex 10\nget k")).as("a pipeline, one command a line").isEqualTo("k");
    assertThat(key(GO, "multi\nset k v\nexec")).isEqualTo("k");
  }

  @Test
  void shouldFindNoKeyInPythonsStatementsWhichHideEveryArgument() {
    assertThat(key(PYTHON, "SET ? ? ? ?")).isNull();
    assertThat(key(PYTHON, "SET ? ? ? ?\nGET ?")).isNull();
    assertThat(key(PYTHON, "GET ?")).isNull();
  }
}
