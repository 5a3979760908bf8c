package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The traces search's key glob, read as DuckDB's GLOB reads it, as the regular expression ClickHouse's match runs. */
class ClickHouseTraceListTest {

  private static boolean matches(String glob, String key) {
    return Pattern.compile(io.memtrace.common.Glob.sqlGlobToRegex(glob)).matcher(key).find();
  }

  @Test
  void shouldMatchKeysAsAGlobDoesAndTakeEveryOtherCharacterLiterally() {
    assertThat(matches("user:*", "user:1")).isTrue();
    assertThat(matches("user:*", "xuser:1")).isFalse();
    assertThat(matches("user:?", "user:12")).isFalse();
    assertThat(matches("user:[12]", "user:2")).isTrue();
    assertThat(matches("user:[12]", "user:3")).isFalse();
    assertThat(matches("a.b*", "axb1")).isFalse();
    assertThat(matches("a.b*", "a.b1")).isTrue();
    assertThat(matches("(x)+*", "(x)+y")).isTrue();
    assertThat(io.memtrace.common.Glob.sqlGlobToRegex("a|b*")).isEqualTo("^a\\|b.*$");
  }
}
