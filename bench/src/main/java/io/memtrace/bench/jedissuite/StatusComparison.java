package io.memtrace.bench.jedissuite;

import io.memtrace.bench.jedissuite.SurefireReports.Outcome;
import io.memtrace.bench.jedissuite.SurefireReports.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares two runs of the same test classes, one without and one with the agent, test by test. The agent
 * must change no test's status; a test that fails in both runs is the environment's doing, and is listed
 * apart so that it is seen and not mistaken for a change. Run by {@code bench/jedis-suite.sh}:
 * {@code StatusComparison <reports without agent> <reports with agent>}; exits 1 on any change, 2 when
 * there is nothing to compare.
 */
public final class StatusComparison {

  private static final String MISSING = "(missing)";

  private final Map<String, Outcome> plain;
  private final Map<String, Outcome> agent;

  StatusComparison(Map<String, Outcome> plain, Map<String, Outcome> agent) {
    this.plain = plain;
    this.agent = agent;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: StatusComparison <surefire-reports without agent> <with agent>");
      System.exit(2);
    }
    StatusComparison comparison = new StatusComparison(SurefireReports.read(Path.of(args[0])),
        SurefireReports.read(Path.of(args[1])));
    System.out.print(comparison.report());
    System.exit(comparison.plain.isEmpty() || comparison.agent.isEmpty() ? 2 : comparison.changes().isEmpty() ? 0 : 1);
  }

  /** Test ids whose status differs between the runs, or that ran in one run only. */
  List<String> changes() {
    List<String> changed = new ArrayList<>();
    for (String id : allIds()) {
      Outcome before = plain.get(id);
      Outcome after = agent.get(id);
      if (before == null || after == null || before.status() != after.status()) {
        changed.add(id);
      }
    }
    return changed;
  }

  /** The per-class table, the changes, and what did not pass in either run. */
  String report() {
    StringBuilder out = new StringBuilder();
    out.append("| test class | tests | without agent: pass/fail/error/skip | with agent: pass/fail/error/skip |\n");
    out.append("|---|---:|---|---|\n");
    Map<String, List<String>> byClass = new LinkedHashMap<>();
    for (String id : allIds()) {
      Outcome any = plain.containsKey(id) ? plain.get(id) : agent.get(id);
      byClass.computeIfAbsent(any.testClass(), c -> new ArrayList<>()).add(id);
    }
    byClass.forEach((testClass, ids) -> out.append("| ").append(shortName(testClass)).append(" | ")
        .append(ids.size()).append(" | ").append(counts(plain, ids)).append(" | ")
        .append(counts(agent, ids)).append(" |\n"));
    List<String> all = new ArrayList<>(allIds());
    out.append("| **total** | ").append(all.size()).append(" | ").append(counts(plain, all)).append(" | ")
        .append(counts(agent, all)).append(" |\n\n");
    List<String> changed = changes();
    out.append("Status changes with the agent: ").append(changed.isEmpty() ? "none" : changed.size()).append('\n');
    for (String id : changed) {
      out.append("  CHANGED ").append(shortName(id)).append(": ").append(describe(plain.get(id)))
          .append(" -> ").append(describe(agent.get(id))).append('\n');
    }
    List<String> neither = all.stream().filter(id -> !changed.contains(id))
        .filter(id -> plain.get(id).status() != Status.PASS).toList();
    out.append("Not passing in either run (the same status both times): ").append(neither.size()).append('\n');
    for (String id : neither) {
      out.append("  ").append(shortName(id)).append(": ").append(describe(plain.get(id))).append('\n');
    }
    return out.toString();
  }

  private Set<String> allIds() {
    Set<String> ids = new LinkedHashSet<>(plain.keySet());
    ids.addAll(agent.keySet());
    return ids;
  }

  private static String counts(Map<String, Outcome> run, List<String> ids) {
    Map<Status, Integer> count = new EnumMap<>(Status.class);
    int missing = 0;
    for (String id : ids) {
      Outcome outcome = run.get(id);
      if (outcome == null) {
        missing++;
      } else {
        count.merge(outcome.status(), 1, Integer::sum);
      }
    }
    StringBuilder cell = new StringBuilder();
    for (Status status : Status.values()) {
      cell.append(cell.length() == 0 ? "" : "/").append(count.getOrDefault(status, 0));
    }
    return missing == 0 ? cell.toString() : cell + " (" + missing + " missing)";
  }

  private static String describe(Outcome outcome) {
    if (outcome == null) {
      return MISSING;
    }
    String status = outcome.status().name().toLowerCase();
    return outcome.message().isEmpty() ? status : status + " (" + printable(outcome.message()) + ")";
  }

  private static String shortName(String name) {
    return name.startsWith("redis.clients.jedis.") ? name.substring("redis.clients.jedis.".length()) : name;
  }

  /** Test messages carry whatever the server or the test put there: show control characters, never emit them. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
