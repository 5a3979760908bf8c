package io.memtrace.agent.redis;

import io.memtrace.common.NamespaceRule;
import io.memtrace.common.redis.RedisCommandFiles;
import io.memtrace.common.redis.CommandTableReader;

import static io.memtrace.agent.redis.RedisCommandInfoTest.command;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Commands the hand-made table did not know (their spans had no {@code memory.key} and only
 * {@code ?}), and every key-bearing command of the generated table.
 */
class RedisCommandKeysTest {

  private static final KeyPolicy KEYS = new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "BLPOP queue:a queue:b 5                      | queue:a | BLPOP queue:a queue:b ?",
      "BRPOP queue:a 0                              | queue:a | BRPOP queue:a ?",
      "SETBIT flags:7 12 1                          | flags:7 | SETBIT flags:7 ? ?",
      "SORT list:ids LIMIT 0 5 DESC STORE list:top  | list:ids | SORT list:ids LIMIT ? ? DESC STORE list:top",
      "ZPOPMAX board:daily 3                        | board:daily | ZPOPMAX board:daily ?",
      "SDIFF tags:a tags:b                          | tags:a | SDIFF tags:a tags:b",
      "MOVE session:9 1                             | session:9 | MOVE session:9 ?",
      "GEOSEARCH geo:shops FROMLONLAT 13.4 52.5 BYRADIUS 5 km ASC | geo:shops | GEOSEARCH geo:shops FROMLONLAT ? ? BYRADIUS ? KM ASC",
      "XACK events:1 workers 1-0 2-0                | events:1 | XACK events:1 ? ? ?",
      "BITCOUNT bits:1 0 -1                         | bits:1 | BITCOUNT bits:1 ? ?",
      "ZUNIONSTORE board:all 2 board:a board:b WEIGHTS 1 2 | board:all | ZUNIONSTORE board:all ? board:a board:b WEIGHTS ? ?",
      "LMPOP 2 queue:a queue:b LEFT COUNT 2         | queue:a | LMPOP ? queue:a queue:b LEFT COUNT ?",
      "XREADGROUP GROUP g c COUNT 1 STREAMS events:1 > | events:1 | XREADGROUP GROUP ? ? COUNT ? STREAMS events:1 ?",
      "EVAL script 1 lock:1 owner                   | lock:1 | EVAL ? ? lock:1 ?",
      "HGETEX user:1 EX 60 FIELDS 1 name            | user:1 | HGETEX user:1 EX ? FIELDS ? ?",
      "HSETEX user:1 FNX EX 60 FIELDS 1 name Ada    | user:1 | HSETEX user:1 FNX EX ? FIELDS ? ? ?",
      "XINFO STREAM events:1                        | events:1 | XINFO STREAM events:1",
      "MEMORY USAGE user:1 SAMPLES 5                | user:1 | MEMORY USAGE user:1 SAMPLES ?",
      "VSIM vec:docs ELE doc:1 COUNT 3 WITHSCORES   | vec:docs | VSIM vec:docs ELE ? COUNT ? WITHSCORES",
  })
  void shouldShowTheKeyOfACommandTheOldTableDidNotKnow(String sent, String key, String text) {
    RedisCommandInfo info = command(sent.trim().split(" +"));

    assertThat(info.firstKey()).isEqualTo(key);
    assertThat(info.queryText(KEYS)).isEqualTo(text);
  }

  @Test
  void shouldShowTheTwoDatabasesOfASwapdb() {
    // Redis sends no keyspace event for SWAPDB: its databases are the only sign of which keys it changed
    assertThat(command("SWAPDB", "0", "1").queryText(KEYS)).isEqualTo("SWAPDB 0 1");
    assertThat(command("SWAPDB", "x", "12345").queryText(KEYS)).as("no database index").isEqualTo("SWAPDB ? ?");
    assertThat(command("MOVE", "k", "1").queryText(KEYS)).isEqualTo("MOVE k ?");
  }

  @Test
  void shouldKeepAValueThatMatchesAnOptionWordHiddenBeforeTheOptions() {
    assertThat(command("SET", "k", "nx", "NX").queryText(KEYS)).isEqualTo("SET k ? NX");
    assertThat(command("LPUSH", "k", "LEFT").queryText(KEYS))
        .as("LEFT is an option of other commands, not of LPUSH").isEqualTo("LPUSH k ?");
  }

  @Test
  void shouldTakeNoKeyAndHideTheArgumentsOfAnUnknownSubcommand() {
    RedisCommandInfo info = command("OBJECT", "NOSUCH", "user:1");

    assertThat(info.firstKey()).isNull();
    assertThat(info.queryText(KEYS)).isEqualTo("OBJECT ? ?");
  }

  /**
   * For every command the generated table gives keys, an argument list built from its key specs
   * (the count where a keynum spec reads it, the keyword where a keyword spec looks) yields a key.
   */
  @Test
  void shouldFindAKeyForEveryKeyBearingCommandOfTheTable() throws Exception {
    Map<String, String> keyless = new TreeMap<>();
    int checked = 0;
    for (CommandTableReader.Row row : RedisCommandFiles.rows()) {
      if (!row.declaresKeys() || row.keySpecs.startsWith("unknown")) {
        continue;
      }
      List<String> args = synthetic(row);
      RedisCommandInfo info = command(args.toArray(new String[0]));
      checked++;
      if (info.firstKey() == null || !info.firstKey().startsWith("key")) {
        keyless.put(row.name, String.join(" ", args));
      }
    }
    assertThat(keyless).as("key-bearing commands that yielded no key").isEmpty();
    assertThat(checked).isGreaterThan(240);
  }

  /** Twelve arguments shaped by the row's first key spec: its keys read key1, key2... */
  private static List<String> synthetic(CommandTableReader.Row row) {
    String[] words = new String[12];
    List<String> name = Arrays.asList(row.name.split("\\|"));
    for (int i = 0; i < words.length; i++) {
      words[i] = i < name.size() ? name.get(i) : "key" + i;
    }
    String spec = row.keySpecs.split(";")[0];
    int first = 0;
    for (String part : spec.split(" ")) {
      String[] nv = part.split("=", 2);
      if (nv[0].equals("index")) {
        first = Integer.parseInt(nv[1]);
      } else if (nv[0].equals("keyword")) {
        String[] kw = nv[1].split(",");
        int start = Integer.parseInt(kw[1]);
        int at = start > 0 ? start : words.length + start;
        words[at] = kw[0];
        first = at + 1;
      } else if (nv[0].equals("keynum")) {
        String[] k = nv[1].split(",");
        words[first + Integer.parseInt(k[0])] = "1";
      }
    }
    return new ArrayList<>(Arrays.asList(words));
  }

  @Test
  void shouldKnowTheCommandsOfRedis8AndOfTheModulesAIMemoryStoresUse() {
    assertThat(RedisCommandTable.all()).containsKeys("GET", "HGETEX", "HSETEX", "HGETDEL", "MSETEX",
        "DELEX", "XACKDEL", "VADD", "VSIM", "JSON.SET", "JSON.MGET", "FT.SEARCH", "FT.AGGREGATE", "FT.CREATE");
  }
}
