package io.memtrace.agent.redis;

import io.memtrace.common.NamespaceRule;
import io.memtrace.common.redis.RedisCommandFiles;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.CommandOverlay;
import io.memtrace.common.redis.CommandTableReader;

import static io.memtrace.agent.redis.RedisCommandInfoTest.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.common.redis.CommandSpec.Access;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The hand-kept overlay: complete for every key-bearing command, and read strictly. */
class RedisCommandOverlayTest {

  private static final KeyPolicy KEYS = new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern());

  @Test
  void shouldSayWhatEveryKeyBearingCommandMeans() throws Exception {
    CommandOverlay overlay = RedisCommandFiles.overlay();
    Set<String> unclassified = new TreeSet<>();
    for (CommandTableReader.Row row : RedisCommandFiles.rows()) {
      int bar = row.name.indexOf('|');
      boolean classified = overlay.classifies(row.name) || (bar > 0 && overlay.classifies(row.name.substring(0, bar)));
      if (row.declaresKeys() && !classified) {
        unclassified.add(row.name);
      }
    }
    assertThat(unclassified).as("key-bearing commands with no line in " + RedisCommandFiles.OVERLAY).isEmpty();
  }

  @Test
  void shouldGiveEveryReadThatReturnsDataAFoundRule() {
    for (String read : new String[] {"GET", "HGET", "LPOP", "BLPOP", "ZPOPMAX", "SDIFF", "XREAD", "GEOSEARCH",
        "JSON.GET", "VSIM", "HGETDEL"}) {
      CommandSpec spec = RedisCommandTable.lookup(read);
      assertThat(spec.meaning.access).as(read).isEqualTo(Access.READ);
      assertThat(spec.meaning.found).as(read).isEqualTo(CommandSpec.Found.NIL);
    }
  }

  @Test
  void shouldNeverShowSecrets() {
    assertThat(command("CONFIG", "SET", "requirepass", "hunter2").queryText(KEYS)).isEqualTo("CONFIG SET ? ?");
    assertThat(command("ACL", "SETUSER", "alice", "on", ">hunter2").queryText(KEYS))
        .isEqualTo("ACL SETUSER ? ? ?");
    assertThat(command("MIGRATE", "10.0.0.2", "6379", "user:1", "0", "5000", "AUTH", "hunter2")
        .queryText(KEYS)).isEqualTo("MIGRATE ? ? user:1 ? ? AUTH ?");
  }

  @Test
  void shouldSetTheTtlAndWrittenBytesOfTheNewCommands() {
    assertThat(command("HSETEX", "user:1", "EX", "60", "FIELDS", "1", "name", "Ada").ttlSeconds()).isEqualTo(60);
    assertThat(command("HSETEX", "user:1", "FIELDS", "1", "ex", "5").ttlSeconds())
        .as("a field named ex after FIELDS is no option").isEqualTo(-1);
    assertThat(command("HGETEX", "user:1", "PX", "5000", "FIELDS", "1", "name").ttlSeconds()).isEqualTo(5);
    assertThat(command("MSETEX", "2", "a", "ex", "b", "2", "EX", "30").ttlSeconds()).isEqualTo(30);
    assertThat(command("HEXPIRE", "user:1", "120", "FIELDS", "1", "name").ttlSeconds()).isEqualTo(120);
    assertThat(command("LPUSH", "q", "ab", "cde").writtenBytes()).isEqualTo(5);
    assertThat(command("ZADD", "z", "NX", "1", "m").writtenBytes()).as("the option word is not data").isEqualTo(2);
  }

  @Test
  void shouldRejectAnOverlayLineItCannotRead() {
    assertThatThrownBy(() -> read("read nil - : GET")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> read("read maybe - - : GET")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> read("read nil - -  GET")).hasMessageContaining("WHAT : COMMANDS");
    assertThatThrownBy(() -> read("read nil - - : GET\nwrite - - - : GET")).hasMessageContaining("GET is given a meaning twice");
  }

  @Test
  void shouldRejectAnOverlayNamingACommandTheTableLacks() throws Exception {
    CommandOverlay overlay = read("read nil - - : NOSUCH");

    assertThatThrownBy(() -> CommandTableReader.specs(RedisCommandFiles.rows(), overlay))
        .hasMessageContaining("NOSUCH");
  }

  private static CommandOverlay read(String text) throws Exception {
    return CommandOverlay.read(new BufferedReader(new StringReader(text)));
  }
}
