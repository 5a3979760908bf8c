package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.redis.CommandEffects;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.RedisCommandFiles;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys read back from the statements instrumentations write (docs/redis-statements.md): every spelling keeps a key
 * where the text has it, and says "unknown" (null) where it was hidden or cut, never a neighbouring word.
 */
class StatementCommandTest {

  private static Map<String, CommandSpec> specs;

  @BeforeAll
  static void readTheTable() throws Exception {
    specs = RedisCommandFiles.specs();
  }

  private static StatementCommand parse(String text) {
    return StatementCommand.parse(text, specs);
  }

  private static List<String> keys(String text) {
    return parse(text).keys();
  }

  @Test
  void shouldReadTheKeyWhateverTheCaseAndWhateverFollowsIt() {
    assertThat(keys("set aqe/test-plans:test-plan-user-service [3 other arguments]"))
        .containsExactly("aqe/test-plans:test-plan-user-service");
    assertThat(keys("SET k ?")).containsExactly("k");
    assertThat(keys("SET k v EX 10")).containsExactly("k");
    assertThat(keys("get k")).containsExactly("k");
    assertThat(parse("set k v").name()).isEqualTo("SET");
    assertThat(parse("HSET h f v").keys()).containsExactly("h");
  }

  @Test
  void shouldSayUnknownWhereTheKeyWasHidden() {
    assertThat(keys("SET ? ?")).containsExactly((String) null);
    assertThat(keys("GET ?")).containsExactly((String) null);
    assertThat(keys("GET [1 other arguments]")).containsExactly((String) null);
    assertThat(keys("GET")).as("the key never written").containsExactly((String) null);
    assertThat(keys("EVAL ? ? ?")).as("numkeys hidden: where the keys are is unknown").containsExactly((String) null);
    assertThat(keys("EVAL \"return 1\" 0")).as("a script with no key").isEmpty();
    assertThat(keys("EVALSHA abc 1 k1")).containsExactly("k1");
  }

  @Test
  void shouldCountHiddenArgumentsAsPositionsForMultiKeyCommands() {
    assertThat(keys("mset k1 [3 other arguments]")).containsExactly("k1", null);
    assertThat(keys("MSET k1 ? k2 ?")).containsExactly("k1", "k2");
    assertThat(keys("XREAD COUNT 2 STREAMS s1 0")).containsExactly("s1");
    assertThat(keys("OBJECT ENCODING k")).containsExactly("k");
    assertThat(parse("object encoding k").name()).isEqualTo("OBJECT ENCODING");
  }

  @Test
  void shouldFindNoKeyInCommandsWithoutOne() {
    assertThat(keys("PING")).isEmpty();
    assertThat(keys("INFO memory")).isEmpty();
    assertThat(keys("MULTI")).isEmpty();
    assertThat(parse("FOO bar").known()).isFalse();
    assertThat(keys("FOO bar")).as("a command the table does not know has no key we can name").isEmpty();
    assertThat(parse("")).isNull();
    assertThat(parse("   ")).isNull();
    assertThat(parse("[2 other arguments]")).isNull();
  }

  @Test
  void shouldTakeQuotesAsPartOfTheWordAndDistrustWordsTheArityCannotHold() {
    // no instrumentation quotes or escapes an argument: a quote is the key's own
    assertThat(keys("GET \"quoted\"")).containsExactly("\"quoted\"");
    assertThat(keys("GET k\"q")).containsExactly("k\"q");
    // a key with a space is two words: GET takes one key and nothing else, so which is the key cannot be told
    assertThat(keys("GET my key")).containsExactly((String) null);
    assertThat(keys("GET \"my key\"")).containsExactly((String) null);
    assertThat(keys("TTL my key")).containsExactly((String) null);
    assertThat(keys("HGET h my field")).as("every key of the command, not only the one next to the space")
        .containsExactly((String) null);
    assertThat(keys("HGET h field")).containsExactly("h");
  }

  @Test
  void shouldSayUnknownWhereTheWordsReadAsWellWithAKeyThatHeldASpace() {
    // a list written out in full: key "k1 k2" reads the same as keys k1 and k2
    assertThat(keys("DEL k1 k2")).containsExactly(null, null);
    assertThat(keys("MGET a b c")).containsExactly(null, null, null);
    assertThat(keys("MSET k1 v1 k2 v2")).as("also MSET \"k1 v1 k2\" v2").containsExactly(null, null);
    assertThat(keys("XREAD COUNT 2 STREAMS s1 s2 0 0")).containsExactly(null, null);
    assertThat(keys("DEL k1")).containsExactly("k1");
    // SET's options: key "k v" would leave 10 where an option word must be; a single flag reads both ways
    assertThat(keys("SET k v EX 10")).containsExactly("k");
    assertThat(keys("SET k v NX")).as("also key \"k v\" with value NX").containsExactly((String) null);
    assertThat(keys("SET a b v EX 10")).as("key \"a b\": v where an option word must be")
        .containsExactly((String) null);
    assertThat(keys("EXPIRE k 60 NX")).as("EXPIRE \"k 60\" NX has no number of seconds").containsExactly("k");
    assertThat(keys("EXPIRE a b 60")).containsExactly((String) null);
    // a space at either end, or two in a row: an argument began or ended with one, or was empty
    assertThat(keys("  GET   k  ")).containsExactly((String) null);
    assertThat(keys("GET k ")).as("key \"k \"").containsExactly((String) null);
    assertThat(keys("SET  v")).as("an empty key").containsExactly((String) null);
  }

  @Test
  void shouldTellWhereEvalsScriptEnds() {
    assertThat(keys("EVAL return redis.call('GET', KEYS[1]) 1 k")).containsExactly("k");
    assertThat(keys("EVAL return redis.call('SET', KEYS[1], ARGV[1]) 1 k ?")).containsExactly("k");
    assertThat(keys("EVAL return redis.call('SET', KEYS[1], ARGV[1]) 1 k v")).as("also key \"k v\"")
        .containsExactly((String) null);
    assertThat(keys("EVAL return 1 0")).as("script \"return\" with key 0, or \"return 1\" with none")
        .containsExactly((String) null);
  }

  @Test
  void shouldReadOnlyTheMarksTheInstrumentationWrites() {
    StatementDialect node = StatementDialect.NODE;
    assertThat(StatementCommand.parse("get tail...", specs, node).keys()).as("Node never cuts")
        .containsExactly("tail...");
    assertThat(keys("GET tail...")).as("Python's cut").containsExactly((String) null);
    assertThat(StatementCommand.parse("get ?", specs, node).keys()).as("Node never writes ?").containsExactly("?");
    assertThat(StatementCommand.parse("get a\tb", specs, node).keys()).as("a tab is the key's").containsExactly("a\tb");
    assertThat(StatementCommand.parse("get [2 other arguments]", specs, StatementDialect.GO).keys())
        .as("no mark in go-redis: three words").containsExactly((String) null);
    String cut = "GET " + "k".repeat(32 * 1024 - 4);
    assertThat(StatementCommand.parse(cut, specs, StatementDialect.JAVA).keys()).as("the Java agent's cut at 32 KiB")
        .containsExactly((String) null);
    assertThat(StatementCommand.parse(cut.substring(0, cut.length() - 1), specs, StatementDialect.JAVA).keys())
        .containsExactly(cut.substring(4, cut.length() - 1));
  }

  @Test
  void shouldTrustNoWordThatATruncationCut() {
    StatementCommand cut = parse("SET aqe/plans:plan-1 {\"a\":1,\"b\":...");
    assertThat(cut.cut()).isTrue();
    assertThat(cut.keys()).as("the key came before the cut").containsExactly("aqe/plans:plan-1");
    assertThat(keys("GET averylongke...")).as("the key ran into the cut").containsExactly((String) null);
    assertThat(keys("GET averylongke\u2026")).containsExactly((String) null);
    assertThat(keys("MSET k1 ? k2 ? k...")).as("keys read before the cut; the cut one unknown")
        .containsExactly("k1", "k2", null);
    assertThat(keys("SET ...")).containsExactly((String) null);
  }

  @Test
  void shouldReadTheTtlTheStatementKeeps() {
    assertThat(CommandEffects.ttlSeconds(parse("SET k v EX 10"))).isEqualTo(10);
    assertThat(CommandEffects.ttlSeconds(parse("set k v ex 10"))).isEqualTo(10);
    assertThat(CommandEffects.ttlSeconds(parse("SET k v PX 5000"))).isEqualTo(5);
    assertThat(CommandEffects.ttlSeconds(parse("SETEX k 60 v"))).isEqualTo(60);
    assertThat(CommandEffects.ttlSeconds(parse("EXPIRE k 30"))).isEqualTo(30);
    assertThat(CommandEffects.ttlSeconds(parse("PEXPIRE k 78"))).as("under a second: within one, not 0, which deletes")
        .isEqualTo(1);
    assertThat(CommandEffects.ttlSeconds(parse("SET k v PX 999"))).isEqualTo(1);
    assertThat(CommandEffects.ttlSeconds(parse("PSETEX k 1500 v"))).as("whole seconds, cut").isEqualTo(1);
    assertThat(CommandEffects.ttlSeconds(parse("PEXPIRE k 0"))).as("deletes").isEqualTo(0);
    assertThat(CommandEffects.ttlSeconds(parse("PEXPIRE k -5"))).as("deletes").isEqualTo(0);
    assertThat(CommandEffects.ttlSeconds(parse("SET k ? EX ?"))).as("hidden: no TTL to read").isEqualTo(-1);
    assertThat(CommandEffects.ttlSeconds(parse("set k [3 other arguments]"))).isEqualTo(-1);
    assertThat(CommandEffects.ttlSeconds(parse("SET k EX"))).as("the value reads EX, no option follows").isEqualTo(-1);
  }

  @Test
  void shouldBoundWhatAHugeStatementCosts() {
    char[] big = new char[1 << 20];
    Arrays.fill(big, 'k');
    String key = new String(big);
    assertThat(keys("GET " + key)).containsExactly(key);
    assertThat(keys("SET " + key + " v")).containsExactly(key);
    StatementCommand many = parse("DEL k [999999999 other arguments]");
    assertThat(many.args()).hasSize(StatementWords.MAX_ARGUMENTS);
    assertThat(many.cut()).isTrue();
    assertThat(many.keys().get(0)).isEqualTo("k");
  }

  @Test
  void shouldSplitAStatementOfSeveralCommands() {
    assertThat(StatementWords.lines("SET a ?\nGET b\n")).containsExactly("SET a ?", "GET b");
    assertThat(StatementWords.lines("GET b")).containsExactly("GET b");
    assertThat(StatementWords.lines("GET a\nb", false, false)).as("a newline the key's own")
        .containsExactly("GET a\nb");
    assertThat(StatementWords.lines("SET a ?; GET b", false, true)).containsExactly("SET a ?", "GET b");
    assertThat(StatementWords.lines("SET a ?;GET b", false, true)).containsExactly("SET a ?", "GET b");
  }
}
