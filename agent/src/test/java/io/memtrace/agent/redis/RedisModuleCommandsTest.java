package io.memtrace.agent.redis;

import static io.memtrace.agent.redis.RedisCommandInfoTest.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.NamespaceRule;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RedisJSON and RediSearch as AI memory stores use them (Spring AI's Redis chat memory and vector
 * store: JSON.SET with a path, FT.SEARCH with a query and a PARAMS blob), and stored procedures.
 */
class RedisModuleCommandsTest {

  private static final Pattern DEFAULT_NAMESPACE = NamespaceRule.defaultRule().pattern();
  private static final KeyPolicy KEYS = new KeyPolicy(true, List.of(), DEFAULT_NAMESPACE);
  private static final KeyPolicy NO_KEYS = new KeyPolicy(false, List.of(), DEFAULT_NAMESPACE);
  private static final String DOCUMENT = "{\"conversation_id\":\"c-1\",\"content\":\"my card is 4111\"}";

  @Nested
  class Json {

    @Test
    void shouldShowTheKeyOfJsonSetAndHideThePathAndTheDocument() {
      RedisCommandInfo info = command("JSON.SET", "chat:c-1:17", "$", DOCUMENT);

      assertThat(info.firstKey()).isEqualTo("chat:c-1:17");
      assertThat(info.firstKeyNamespace(KEYS)).isEqualTo("chat:c-1");
      assertThat(info.queryText(KEYS)).isEqualTo("JSON.SET chat:c-1:17 ? ?");
      assertThat(info.isWrite()).isTrue();
      assertThat(info.writtenBytes()).as("the document's bytes").isEqualTo(DOCUMENT.length());
      assertThat(command("JSON.SET", "doc:1", "$.tags", "[]", "xx").queryText(KEYS))
          .isEqualTo("JSON.SET doc:1 ? ? XX");
    }

    @Test
    void shouldReadJsonGetAsAReadThatMayMiss() {
      RedisCommandInfo info = command("JSON.GET", "chat:c-1:17", "$.content");

      assertThat(info.queryText(KEYS)).isEqualTo("JSON.GET chat:c-1:17 ?");
      assertThat(info.isRead()).isTrue();
      assertThat(RedisReply.found(info, null)).isFalse();
      assertThat(RedisReply.found(info, "[\"hi\"]".getBytes())).isTrue();
    }

    @Test
    void shouldTakeEveryKeyOfJsonMgetButNotItsPath() {
      RedisCommandInfo info = command("JSON.MGET", "doc:1", "doc:2", "$.name");

      assertThat(info.firstKey()).isEqualTo("doc:1");
      assertThat(info.queryText(KEYS)).isEqualTo("JSON.MGET doc:1 doc:2 ?");
      assertThat(RedisReply.found(info, Arrays.asList(null, null))).isFalse();
    }

    @Test
    void shouldShowEachKeyOfJsonMsetAndHideItsPathsAndValues() {
      assertThat(command("JSON.MSET", "doc:1", "$", "{}", "doc:2", "$.a", "1").queryText(KEYS))
          .isEqualTo("JSON.MSET doc:1 ? ? doc:2 ? ?");
    }

    @Test
    void shouldTreatJsonDelAsADelete() {
      RedisCommandInfo info = command("JSON.DEL", "chat:c-1:17", "$");

      assertThat(info.firstKey()).isEqualTo("chat:c-1:17");
      assertThat(info.queryText(KEYS)).isEqualTo("JSON.DEL chat:c-1:17 ?");
      assertThat(info.isRead() || info.isWrite()).isFalse();
    }
  }

  @Nested
  class Search {

    @Test
    void shouldShowTheIndexAndOptionWordsOfFtSearchAndHideTheQueryAndTheBlob() {
      RedisCommandInfo info = command("FT.SEARCH", "chat-memory-idx",
          "*=>[KNN 4 @embedding $BLOB AS vector_score]", "PARAMS", "2", "BLOB", "\u0001\u0002\u0003",
          "RETURN", "2", "content", "vector_score", "SORTBY", "vector_score", "ASC", "DIALECT", "2");

      assertThat(info.queryText(KEYS)).isEqualTo(
          "FT.SEARCH chat-memory-idx ? PARAMS ? ? ? RETURN ? ? ? SORTBY ? ASC DIALECT ?");
      assertThat(info.firstKey()).as("an index is not a key").isNull();
      assertThat(info.isRead()).isTrue();
    }

    @Test
    void shouldHideTheIndexWhenKeysAreNotCaptured() {
      assertThat(command("FT.SEARCH", "idx", "@conversation_id:{c-1}", "LIMIT", "0", "10")
          .queryText(NO_KEYS)).isEqualTo("FT.SEARCH ? ? LIMIT ? ?");
    }

    @Test
    void shouldSayFoundFromTheTotalOfASearchReply() {
      RedisCommandInfo info = command("FT.SEARCH", "idx", "*");

      assertThat(RedisReply.found(info, List.of(0L))).isFalse();
      assertThat(RedisReply.found(info, List.of(2L, "doc:1".getBytes(), List.of()))).isTrue();
      assertThat(RedisReply.found(command("FT.AGGREGATE", "idx", "*"), List.of(0L))).isFalse();
    }

    @Test
    void shouldShowTheSchemaWordsOfFtCreateAndHideNamesAndPrefixes() {
      assertThat(command("FT.CREATE", "idx", "ON", "JSON", "PREFIX", "1", "chat:", "SCHEMA",
          "$.conversation_id", "AS", "conversation_id", "TAG", "$.embedding", "AS", "embedding",
          "VECTOR", "HNSW", "6", "TYPE", "FLOAT32", "DIM", "1536", "DISTANCE_METRIC", "COSINE")
          .queryText(KEYS)).isEqualTo(
              "FT.CREATE idx ON JSON PREFIX ? ? SCHEMA ? AS ? TAG ? AS ? VECTOR ? ? ? ? ? ? ? ?");
    }

    @Test
    void shouldShowTheIndexOfFtInfoAndFtDropindex() {
      assertThat(command("FT.INFO", "idx").queryText(KEYS)).isEqualTo("FT.INFO idx");
      assertThat(command("FT.DROPINDEX", "idx", "DD").queryText(KEYS)).isEqualTo("FT.DROPINDEX idx DD");
    }
  }

  @Nested
  class StoredProcedures {

    @Test
    void shouldNameTheScriptOfEvalshaByItsDigest() {
      String sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
      RedisCommandInfo info = command("EVALSHA", sha, "1", "lock:1", "owner-7");

      assertThat(info.storedProcedureName()).isEqualTo(sha);
      assertThat(info.queryText(KEYS)).isEqualTo("EVALSHA ? ? lock:1 ?");
      assertThat(command("evalsha_ro", sha, "0").storedProcedureName()).isEqualTo(sha);
    }

    @Test
    void shouldNameTheFunctionOfFcall() {
      assertThat(command("FCALL", "expire_chat", "1", "chat:1").storedProcedureName()).isEqualTo("expire_chat");
      assertThat(command("FCALL_RO", "count_chat", "0").storedProcedureName()).isEqualTo("count_chat");
    }

    @Test
    void shouldNameNoProcedureForAScriptSentWholeOrAPlainCommand() {
      assertThat(command("EVAL", "return 1", "0").storedProcedureName()).isNull();
      assertThat(command("GET", "k").storedProcedureBytes()).isNull();
      assertThat(command("EVALSHA").storedProcedureBytes()).isNull();
    }

    @Test
    void shouldGiveANonAsciiFunctionNameAsValidUtf8() {
      List<byte[]> raw = new java.util.ArrayList<>(List.of("FCALL".getBytes(), new byte[] {'f', (byte) 0xFF}, "0".getBytes()));

      assertThat(RedisCommandInfo.of(raw).storedProcedureName()).isEqualTo("f\ufffd");
    }
  }
}
