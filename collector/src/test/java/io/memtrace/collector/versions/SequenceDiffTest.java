package io.memtrace.collector.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceDiffTest {

  @Test
  void shouldFindTheShortestScriptAndRebuildTheAfterSequenceForRandomInputs() {
    Random random = new Random(51);
    for (int round = 0; round < 2_000; round++) {
      List<String> a = randomList(random);
      List<String> b = randomList(random);
      List<SequenceDiff.Step> steps = SequenceDiff.diff(a, b, 1_000);
      assertThat(steps).isNotNull();
      List<String> rebuilt = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      int edits = 0;
      int lastBefore = -1;
      int lastAfter = -1;
      for (SequenceDiff.Step s : steps) {
        if (s.kind() != SequenceDiff.Kind.ADDED) {
          assertThat(s.before()).isEqualTo(lastBefore + 1);
          lastBefore = s.before();
          kept.add(a.get(s.before()));
        }
        if (s.kind() != SequenceDiff.Kind.REMOVED) {
          assertThat(s.after()).isEqualTo(lastAfter + 1);
          lastAfter = s.after();
          rebuilt.add(b.get(s.after()));
        }
        if (s.kind() == SequenceDiff.Kind.SAME) {
          assertThat(a.get(s.before())).isEqualTo(b.get(s.after()));
        } else {
          edits++;
        }
      }
      assertThat(rebuilt).isEqualTo(b);
      assertThat(kept).isEqualTo(a);
      assertThat(edits).as("%s -> %s", a, b).isEqualTo(a.size() + b.size() - 2 * lcs(a, b));
    }
  }

  @Test
  void shouldGiveUpPastTheEditBound() {
    List<String> a = List.of("a", "b", "c", "d");
    List<String> b = List.of("w", "x", "y", "z");
    assertThat(SequenceDiff.diff(a, b, 7)).isNull();
    assertThat(SequenceDiff.diff(a, b, 8)).hasSize(8);
  }

  @Test
  void shouldDiffAMiddleLongerThanTheBoundWhenItsEditsAreWithinIt() {
    // a window moved by one: neither end is common, the middle (20 elements) is past the bound, the edits (2) are not
    List<String> a = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    List<String> b = List.of("b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
    assertThat(SequenceDiff.diff(a, b, 2)).hasSize(11)
        .filteredOn(step -> step.kind() != SequenceDiff.Kind.SAME).hasSize(2);
    assertThat(SequenceDiff.diff(a, b, 1)).isNull();
  }

  private static List<String> randomList(Random random) {
    List<String> list = new ArrayList<>();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      list.add(String.valueOf((char) ('a' + random.nextInt(4))));
    }
    return list;
  }

  /** The longest common subsequence's length, by the textbook table. */
  private static int lcs(List<String> a, List<String> b) {
    int[][] t = new int[a.size() + 1][b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        t[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
      }
    }
    return t[a.size()][b.size()];
  }
}
