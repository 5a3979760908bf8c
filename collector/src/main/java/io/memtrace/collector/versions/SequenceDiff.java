package io.memtrace.collector.versions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The shortest edit script between two sequences (lines of a text, elements of a list), by Myers's O(ND) greedy
 * algorithm: the fewest deletions and insertions that turn {@code before} into {@code after}. The common head and
 * tail are taken off first, so a push, an append or one changed line costs only the unchanged ends' comparison.
 * Past {@code maxEdits} (a bound checked first, when the middle is longer than it, by counting the elements one
 * side lacks) it gives up (null): two unrelated texts are then shown as one replaced whole, which keeps a record's
 * thousand versions fast whatever their values.
 */
final class SequenceDiff {

  /** What one step of the script does. */
  enum Kind { SAME, REMOVED, ADDED }

  /**
   * One step: an element kept, removed from {@code before} or added from {@code after}.
   *
   * @param before the element's index in {@code before}, -1 for an added one
   * @param after  the element's index in {@code after}, -1 for a removed one
   */
  record Step(Kind kind, int before, int after) {
  }

  private SequenceDiff() {
  }

  /** Whether element {@code i} of the one sequence equals element {@code j} of the other. */
  interface Same {
    boolean same(int i, int j);
  }

  /** The steps from {@code before} to {@code after} in order, or null when more than {@code maxEdits} are needed. */
  static <T> List<Step> diff(List<T> before, List<T> after, int maxEdits) {
    return diff(before.size(), after.size(), (i, j) -> before.get(i).equals(after.get(j)), before::get, after::get,
        maxEdits);
  }

  /**
   * The same for sequences of {@code n} and {@code m} elements compared by {@code same}; {@code beforeKey} and
   * {@code afterKey} give each element as an object whose {@code equals} and {@code hashCode} agree with {@code same},
   * asked only for the bound (a middle longer than {@code maxEdits}).
   */
  static List<Step> diff(int n, int m, Same same, IntFunction<?> beforeKey, IntFunction<?> afterKey, int maxEdits) {
    int head = 0;
    while (head < n && head < m && same.same(head, head)) {
      head++;
    }
    int tail = 0;
    while (tail < n - head && tail < m - head && same.same(n - 1 - tail, m - 1 - tail)) {
      tail++;
    }
    // the edits are at most the middle's length, so only a longer middle needs the bound (hashing every element)
    if ((n - tail - head) + (m - tail - head) > maxEdits
        && differing(beforeKey, head, n - tail, afterKey, head, m - tail) > maxEdits) {
      return null;
    }
    List<Step> middle = middle(n - tail - head, m - tail - head, same, head, maxEdits);
    if (middle == null) {
      return null;
    }
    List<Step> steps = new ArrayList<>(head + middle.size() + tail);
    for (int i = 0; i < head; i++) {
      steps.add(new Step(Kind.SAME, i, i));
    }
    steps.addAll(middle);
    for (int i = tail; i > 0; i--) {
      steps.add(new Step(Kind.SAME, n - i, m - i));
    }
    return steps;
  }

  /** What {@link #pairRuns} says of each element of a run of changes. */
  interface Runs {
    /** Element {@code before} became element {@code after}. */
    void changed(int before, int after);

    void removed(int before);

    void added(int after);
  }

  /**
   * Goes through {@code steps} run by run: each run of removed elements is paired with the run of added ones after it,
   * element by element, and what is left of either run is removed or added.
   */
  static void pairRuns(List<Step> steps, Runs runs) {
    List<Integer> removed = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    for (int i = 0; i <= steps.size(); i++) {
      Step step = i < steps.size() ? steps.get(i) : null;
      if (step != null && step.kind() == Kind.REMOVED) {
        removed.add(step.before());
      } else if (step != null && step.kind() == Kind.ADDED) {
        added.add(step.after());
      } else {
        int paired = Math.min(removed.size(), added.size());
        for (int p = 0; p < paired; p++) {
          runs.changed(removed.get(p), added.get(p));
        }
        for (int p = paired; p < removed.size(); p++) {
          runs.removed(removed.get(p));
        }
        for (int p = paired; p < added.size(); p++) {
          runs.added(added.get(p));
        }
        removed.clear();
        added.clear();
      }
    }
  }

  /**
   * A lower bound of the edits, at no more than a pass over each: the elements of one that the other lacks, counted
   * with repeats. Two unrelated texts are known past the bound at once, without the search.
   */
  private static int differing(IntFunction<?> a, int aFrom, int aTo, IntFunction<?> b, int bFrom, int bTo) {
    java.util.Map<Object, Integer> count = new java.util.HashMap<>();
    for (int i = aFrom; i < aTo; i++) {
      count.merge(a.apply(i), 1, Integer::sum);
    }
    int edits = 0;
    for (int j = bFrom; j < bTo; j++) {
      Object y = b.apply(j);
      Integer left = count.get(y);
      if (left == null || left == 0) {
        edits++;
      } else {
        count.put(y, left - 1);
      }
    }
    for (int left : count.values()) {
      edits += left;
    }
    return edits;
  }

  /**
   * Myers's forward search: {@code furthest[k]} is the furthest x reached on diagonal k = x - y with d edits; each
   * round's array is kept (only its diagonals -d-1..d+1) to walk the path back from the end.
   */
  private static List<Step> middle(int n, int m, Same same, int offset, int maxEdits) {
    if (n + m > 0 && (n == 0 || m == 0)) {
      List<Step> steps = new ArrayList<>(n + m);
      for (int i = 0; i < n; i++) {
        steps.add(new Step(Kind.REMOVED, offset + i, -1));
      }
      for (int j = 0; j < m; j++) {
        steps.add(new Step(Kind.ADDED, -1, offset + j));
      }
      return n + m > maxEdits ? null : steps;
    }
    int max = Math.min(n + m, maxEdits);
    int zero = max + 1;
    int[] furthest = new int[2 * max + 3];
    List<int[]> rounds = new ArrayList<>();
    for (int d = 0; d <= max; d++) {
      int[] saved = new int[2 * d + 3];
      System.arraycopy(furthest, zero - d - 1, saved, 0, saved.length);
      rounds.add(saved);
      for (int k = -d; k <= d; k += 2) {
        int x = k == -d || (k != d && furthest[zero + k - 1] < furthest[zero + k + 1])
            ? furthest[zero + k + 1] : furthest[zero + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && same.same(offset + x, offset + y)) {
          x++;
          y++;
        }
        furthest[zero + k] = x;
        if (x >= n && y >= m) {
          return walkBack(rounds, n, m, offset);
        }
      }
    }
    return null;
  }

  private static List<Step> walkBack(List<int[]> rounds, int n, int m, int offset) {
    List<Step> steps = new ArrayList<>();
    int x = n;
    int y = m;
    for (int d = rounds.size() - 1; d >= 0; d--) {
      int[] v = rounds.get(d);
      int base = d + 1; // v[base + k] is diagonal k as it stood before round d
      int k = x - y;
      int previousK = k == -d || (k != d && v[base + k - 1] < v[base + k + 1]) ? k + 1 : k - 1;
      int previousX = d == 0 ? 0 : v[base + previousK];
      int previousY = d == 0 ? 0 : previousX - previousK;
      while (x > previousX && y > previousY) {
        x--;
        y--;
        steps.add(new Step(Kind.SAME, offset + x, offset + y));
      }
      if (d > 0) {
        if (x == previousX) {
          steps.add(new Step(Kind.ADDED, -1, offset + previousY));
        } else {
          steps.add(new Step(Kind.REMOVED, offset + previousX, -1));
        }
      }
      x = previousX;
      y = previousY;
    }
    Collections.reverse(steps);
    return steps;
  }
}
