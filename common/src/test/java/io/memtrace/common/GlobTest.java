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
}
