package io.memtrace.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void shouldMatchAnyRunWithStarAndOneCharacterWithQuestionMark() {
    assertThat(Glob.compile("session:*").matcher("session:").matches()).isTrue();
    assertThat(Glob.compile("session:*").matcher("session:a:b").matches()).isTrue();
    assertThat(Glob.compile("tok?n").matcher("token").matches()).isTrue();
    assertThat(Glob.compile("tok?n").matcher("tokn").matches()).isFalse();
  }

  @Test
  void shouldTakeRegexCharactersLiterally() {
    assertThat(Glob.compile("com.acme.*Agent").matcher("com.acme.PlannerAgent").matches()).isTrue();
    assertThat(Glob.compile("com.acme.*Agent").matcher("comXacme.PlannerAgent").matches()).isFalse();
    assertThat(Glob.compile("a.b[1]\\E(").matcher("a.b[1]\\E(").matches()).isTrue();
  }

  @Test
  void shouldMatchKeysContainingLineBreaks() {
    assertThat(Glob.compile("*:token:*").matcher("a\n:token:\nb").matches()).isTrue();
  }

  @Test
  void shouldMatchWhatAnyOfSeveralGlobsMatches() {
    assertThat(Glob.compileAny(List.of("a:*", "b:?")).matcher("b:1").matches()).isTrue();
    assertThat(Glob.compileAny(List.of("a:*", "b:?")).matcher("c:1").matches()).isFalse();
  }

  /** The web view's key filter, read as DuckDB's GLOB reads it, as the regular expression ClickHouse's match runs. */
  @Test
  void shouldReadASqlGlobAsDuckDbDoesAndTakeEveryOtherCharacterLiterally() {
    assertThat(sqlGlobMatches("user:*", "user:1")).isTrue();
    assertThat(sqlGlobMatches("user:*", "xuser:1")).isFalse();
    assertThat(sqlGlobMatches("user:?", "user:12")).isFalse();
    assertThat(sqlGlobMatches("user:[12]", "user:2")).isTrue();
    assertThat(sqlGlobMatches("user:[12]", "user:3")).isFalse();
    assertThat(sqlGlobMatches("a.b*", "axb1")).isFalse();
    assertThat(sqlGlobMatches("a.b*", "a.b1")).isTrue();
    assertThat(sqlGlobMatches("(x)+*", "(x)+y")).isTrue();
    assertThat(Glob.sqlGlobToRegex("a|b*")).isEqualTo("^a\\|b.*$");
  }

  private static boolean sqlGlobMatches(String glob, String key) {
    return java.util.regex.Pattern.compile(Glob.sqlGlobToRegex(glob)).matcher(key).find();
  }
}
