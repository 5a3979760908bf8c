package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.redis.ReconnectingMonitor;
import io.memtrace.testsupport.redis.RedisSentinels;
import io.memtrace.testsupport.redis.SentinelEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One run of {@code SentinelProgram} through a failover ({@link JedisSentinelIT}), and what its spans must agree
 * with: what each data node executed ({@code MONITOR}), the values written under each key, and the exceptions the
 * program caught and printed ({@code error OP KEY KIND}).
 */
final class SentinelRun {

  private static final Pattern ERROR_LINE = Pattern.compile("^error (\\w+) (\\S+) (.*)$", Pattern.MULTILINE);

  final ForkedJvm.Result result;
  final ExportedSpans spans;
  /** Per data node, the {@code SET}/{@code GET} of the program's keys it executed: {command, key}. */
  final Map<Integer, List<String[]>> seen;
  /** Per data node, when its MONITOR was reconnecting: {start, end} in epoch nanoseconds. */
  final Map<Integer, List<long[]>> unseen;
  final int before;
  final int after;
  final List<Integer> sentinelPorts;
  /** What a Sentinel announced during the run, in order (empty when not recorded). */
  final List<String> announced;
  private final List<Span> data;

  /**
   * What a program that ended ({@code result}) did on {@code topology}, failed over from {@code before} to
   * {@code after}, once the monitors have read the last commands; the program's own tally must show no mismatch and
   * both primaries as the Sentinels named them. {@code spans} is null for a run without the agent.
   */
  static SentinelRun after(ForkedJvm.Result result, ExportedSpans spans, List<ReconnectingMonitor> monitors,
      RedisSentinels topology, int before, int after) throws InterruptedException {
    return after(result, spans, monitors, topology, before, after, null);
  }

  /** As above, with what a Sentinel announced meanwhile ({@code announced}; null: not recorded). */
  static SentinelRun after(ForkedJvm.Result result, ExportedSpans spans, List<ReconnectingMonitor> monitors,
      RedisSentinels topology, int before, int after, SentinelEvents announced) throws InterruptedException {
    Thread.sleep(300); // the last MONITOR lines in flight
    for (ReconnectingMonitor monitor : monitors) {
      monitor.close();
    }
    List<String> events = announced == null ? List.of() : announced.events();
    if (announced != null) {
      System.out.printf("[sentinel] announced: %s%n", events);
    }
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).as("the program's own check; the Sentinels announced: %s", events)
        .contains("mismatches []").contains("primary-before " + before)
        .contains("primary-after " + after + " " + after);
    return new SentinelRun(result, spans, monitors, topology.nodePorts(), before, after, topology.sentinelPorts(),
        events);
  }

  private SentinelRun(ForkedJvm.Result result, ExportedSpans spans, List<ReconnectingMonitor> monitors,
      List<Integer> nodePorts, int before, int after, List<Integer> sentinelPorts,
      List<String> announced) {
    this.announced = announced;
    Map<Integer, List<String[]>> seen = new LinkedHashMap<>();
    this.unseen = new LinkedHashMap<>();
    for (ReconnectingMonitor monitor : monitors) {
      seen.put(monitor.port(), clientCommands(monitor, nodePorts));
      unseen.put(monitor.port(), monitor.gaps());
    }
    this.result = result;
    this.sentinelPorts = sentinelPorts;
    this.spans = spans;
    this.data = spans == null ? List.of() : spans.where(s -> ("SET".equals(s.name) || "GET".equals(s.name))
        && String.valueOf(s.attributes.get("memory.key")).startsWith("fo:"));
    this.seen = seen;
    this.before = before;
    this.after = after;
  }

  /**
   * The pools ask the Sentinels for the primary and subscribe to their {@code +switch-master}: commands the
   * application's client sends to a server, so spans like any other (not handshake commands, which set up a
   * connection to the server the application talks to), each on the Sentinel that answered.
   */
  void assertDiscoveryIsSpansOnTheSentinels() {
    List<Span> asked = spans.withQuery("SENTINEL GET-MASTER-ADDR-BY-NAME ?");
    List<Span> subscribed = spans.where(s -> "SUBSCRIBE".equals(s.name));
    assertThat(asked).as("each pool asks the Sentinels at start").hasSizeGreaterThanOrEqualTo(2);
    assertThat(subscribed).as("each pool listens to every Sentinel").hasSizeGreaterThanOrEqualTo(2 * 3);
    List<Span> discovery = new ArrayList<>(asked);
    discovery.addAll(subscribed);
    assertThat(discovery).allSatisfy(s -> {
      assertThat(sentinelPorts).contains((int) (long) (Long) s.attributes.get("server.port"));
      assertThat(s.statusCode).isNotEqualTo(Span.STATUS_ERROR);
      assertThat(s.attributes).doesNotContainKey("memory.key");
    });
    assertThat(spans.spans).as("nothing else than discovery and the program's commands")
        .hasSize(discovery.size() + data.size());
  }

  /**
   * The ports of the nodes a Sentinel made replicas during the run, each once: the primaries it switched away from
   * ({@code +switch-master NAME OLD-IP OLD-PORT NEW-IP NEW-PORT}) and the nodes it converted
   * ({@code +convert-to-slave slave IP:PORT IP PORT @ ...}); {@link #before} where nothing was recorded.
   */
  Set<Integer> demoted() {
    Set<Integer> ports = new LinkedHashSet<>();
    for (String event : announced) {
      String[] words = event.split(" "); // when, @sentinel, channel, the message's words
      if ("+switch-master".equals(words[2]) && words.length == 8) {
        ports.add(Integer.parseInt(words[5]));
      } else if ("+convert-to-slave".equals(words[2]) && words.length >= 7) {
        ports.add(Integer.parseInt(words[6]));
      }
    }
    return ports.isEmpty() ? Set.of(before) : ports;
  }

  /** The spans of the program's own SET and GET. */
  List<Span> dataSpans() {
    return data;
  }

  Set<String> errorKinds() {
    Set<String> kinds = new HashSet<>();
    Matcher m = ERROR_LINE.matcher(result.stdout);
    while (m.find()) {
      kinds.add(m.group(3));
    }
    return kinds;
  }

  /**
   * Every command a node executed has its span with that node's port, and every answered span was executed there.
   * A command has one span that is not an error; an attempt that failed (an ERROR span) may have been executed on its
   * node too, when the reply was what was lost, and whether it was retried is each test's to say.
   */
  void assertAgreesWithMonitor() {
    assertThat(result.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    // collected, then asserted once: tens of thousands of commands
    List<String> unexplained = new ArrayList<>();
    Map<String, Span> byCommand = new LinkedHashMap<>();
    Map<String, List<Span>> failedAttempts = new LinkedHashMap<>();
    int excused = 0;
    for (Span s : dataSpans()) {
      String command = s.name + " " + s.attributes.get("memory.key");
      if (s.statusCode == Span.STATUS_ERROR) {
        failedAttempts.computeIfAbsent(command, c -> new ArrayList<>()).add(s);
      } else if (byCommand.put(command, s) != null) {
        unexplained.add("two spans for one command: " + s);
      }
    }
    for (Map.Entry<String, List<Span>> failed : failedAttempts.entrySet()) {
      byCommand.putIfAbsent(failed.getKey(), failed.getValue().get(0));
    }
    Map<Integer, Set<String>> executed = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<String[]>> node : seen.entrySet()) {
      Set<String> commands = node.getValue().stream().map(c -> c[0].toUpperCase() + " " + c[1])
          .collect(Collectors.toSet());
      executed.put(node.getKey(), commands);
      Long port = Long.valueOf(node.getKey());
      for (String command : commands) {
        Span s = byCommand.get(command);
        boolean failedThere = failedAttempts.getOrDefault(command, List.of()).stream()
            .anyMatch(f -> port.equals(f.attributes.get("server.port")));
        if ((s == null || !port.equals(s.attributes.get("server.port"))) && !failedThere) {
          unexplained.add(command + " executed on " + node.getKey() + " has the span " + s);
        }
      }
    }
    for (Span s : byCommand.values()) {
      Object port = s.attributes.get("server.port");
      Set<String> there = executed.get(port instanceof Long ? (int) (long) (Long) port : -1);
      if (s.statusCode != Span.STATUS_ERROR && (there == null || !there.contains(s.name + " "
          + s.attributes.get("memory.key")))) {
        if (duringGap(port, s)) {
          excused++;
        } else {
          unexplained.add("answered but not executed on its node: " + s);
        }
      }
    }
    assertThat(unexplained).as("spans and MONITOR disagree").isEmpty();
    assertThat(excused).as("spans whose commands ran while MONITOR was reconnecting: a few, not the run")
        .isLessThan(byCommand.size() / 4);
    Map<Long, Long> spansPerPort = dataSpans().stream().collect(Collectors.groupingBy(
        s -> (Long) s.attributes.get("server.port"), Collectors.counting()));
    System.out.printf("[sentinel] %s -> %s: spans per port %s, MONITOR per node %s, errors %s, excused %d%n", before,
        after, spansPerPort, executed.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())),
        errorKinds(), excused);
    assertThat(spansPerPort).as("spans on the old primary and on the new").containsKeys((long) before, (long) after);
  }

  /** The program's SET and GET a node executed for clients (not those its primary replicated to it): {name, key}. */
  private static List<String[]> clientCommands(ReconnectingMonitor monitor, List<Integer> nodePorts) {
    return monitor.commands().stream()
        .filter(c -> (c.name().equals("SET") || c.name().equals("GET")) && c.args.size() > 1
            && c.args.get(1).startsWith("fo:") && nodePorts.stream().noneMatch(n -> c.client.equals("127.0.0.1:" + n)))
        .map(c -> new String[] {c.name(), c.args.get(1)}).collect(Collectors.toList());
  }

  /** Whether {@code s} overlaps a stretch when the MONITOR of the node it names was reconnecting. */
  private boolean duringGap(Object port, Span s) {
    List<long[]> gaps = port instanceof Long ? unseen.getOrDefault((int) (long) (Long) port, List.of()) : List.of();
    return gaps.stream().anyMatch(gap -> s.end >= gap[0] && s.start <= gap[1]);
  }

  /** Every reply went to its own command: sizes and hits agree with the value written under each key. */
  void assertNothingMispaired() {
    long lost = Long.parseLong(result.stdout.replaceAll("(?s).*\\nlost (\\d+)\\n.*", "$1"));
    long misses = 0;
    List<String> wrong = new ArrayList<>();
    for (Span s : dataSpans()) {
      if (s.statusCode == Span.STATUS_ERROR) {
        continue;
      }
      String key = (String) s.attributes.get("memory.key");
      long expected = key.length() + 1 + Long.parseLong(key.substring(key.lastIndexOf(':') + 1)) % 23;
      boolean hit = "SET".equals(s.name) || Boolean.TRUE.equals(s.attributes.get("memory.found"));
      if (hit && !Long.valueOf(expected).equals(s.attributes.get("memory.value_size"))) {
        wrong.add("expected memory.value_size " + expected + ": " + s);
      } else if (!hit) {
        if (!Boolean.FALSE.equals(s.attributes.get("memory.found"))) {
          wrong.add("a GET without memory.found: " + s);
        }
        misses++;
      }
    }
    assertThat(wrong).as("replies paired with the wrong command").isEmpty();
    assertThat(misses).as("GETs that found nothing, as the program counted them").isEqualTo(lost);
  }

  /** The {@code error.type} of a span for what the program caught: an error reply's code, else the exception class. */
  private static String errorType(String caught) {
    if (caught == null) {
      return "(nothing caught)";
    }
    return caught.startsWith("JedisDataException: ") ? caught.substring("JedisDataException: ".length())
        : "redis.clients.jedis.exceptions." + caught.substring(0, caught.indexOf(':'));
  }

  /** Each exception the program caught from a command is that command's ERROR span, and no other span is one. */
  void assertErrorsAsTheProgramSawThem() {
    Map<String, String> caught = new LinkedHashMap<>();
    Matcher m = ERROR_LINE.matcher(result.stdout);
    while (m.find()) {
      caught.put(m.group(1) + " " + m.group(2), m.group(3));
    }
    List<String> wrong = new ArrayList<>();
    for (Span s : dataSpans()) {
      String command = s.name + " " + s.attributes.get("memory.key");
      if (s.statusCode == Span.STATUS_ERROR && !errorType(caught.get(command)).equals(s.attributes.get("error.type"))) {
        wrong.add("an ERROR span whose error.type is not what the program caught (" + caught.get(command) + "): " + s);
      } else if (s.statusCode != Span.STATUS_ERROR && caught.containsKey(command)) {
        wrong.add("the program caught " + caught.get(command) + " from " + s);
      }
    }
    assertThat(wrong).isEmpty();
    Set<Span> ours = Collections.newSetFromMap(new IdentityHashMap<>());
    ours.addAll(data);
    List<Span> otherErrors = spans.where(s -> s.statusCode == Span.STATUS_ERROR && !ours.contains(s));
    System.out.println("[sentinel] other spans: " + spans.spans.stream().filter(s -> !ours.contains(s))
        .map(s -> s.name + " " + s.attributes.get("db.query.text") + " :" + s.attributes.get("server.port")
            + (s.statusCode == Span.STATUS_ERROR ? " ERROR " + s.attributes.get("error.type") : ""))
        .collect(Collectors.groupingBy(x -> x, LinkedHashMap::new, Collectors.counting())));
    assertThat(otherErrors).as("no error span outside the program's commands").isEmpty();
  }
}
