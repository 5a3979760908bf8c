package io.memtrace.collector.truth;

import io.memtrace.collector.truth.KeyModel.Place;
import io.memtrace.collector.truth.ScenarioGenerator.Scenario;
import io.memtrace.collector.truth.Step.Actor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Runs scenarios side by side on one Redis, the traced services and one untraced client: each of {@link #SLOTS}
 * slots has two databases of its own (so a FLUSHDB or SWAPDB stays in its scenario) and runs one scenario at a time,
 * and while one slot pauses for a TTL to run out the others go on. Steps still run one at a time, in one order, so the
 * oracle sees one history and each service's spans come in the order of its steps.
 */
final class ScenarioRunner {

  static final int SLOTS = 7;

  /** A traced read and its truth; {@code run} numbers the step in the whole run. */
  record Read(long seed, int step, int run, Place place, String reply, Change truth) {
  }

  private final RedisRecord record;
  private final TracedService javaService;
  /** The Node service, or null without Node: its steps are then the Java service's. */
  private final TracedService nodeService;
  private final Jedis outside;
  final Oracle oracle = new Oracle();
  final List<Read> reads = new ArrayList<>();
  /** Each scenario's steps as they ran (run number, database, replies), to print a wrong answer with. */
  final Map<Long, List<String>> history = new HashMap<>();
  /** The traced deleting steps (DEL, UNLINK, GETDEL) that found nothing to remove. */
  final java.util.Set<Integer> removedNothing = new java.util.HashSet<>();
  /** The Node service's steps, by run number. */
  final java.util.Set<Integer> nodeRuns = new java.util.HashSet<>();
  /** Each traced step's command ({@code PIPE} and {@code MULTI} for a batch), by run number. */
  final Map<Integer, String> commandOfRun = new HashMap<>();
  /** Each step by run number, as {@code seed/step}: the same in every run of the same seeds. */
  final Map<Integer, String> stepOfRun = new HashMap<>();
  /** When each step began, by run number ({@code System.currentTimeMillis()}). */
  final Map<Integer, Long> timeOfRun = new HashMap<>();
  /** The places ({@code db/key}) each step's commands other than a GET name, by run number. */
  final Map<Integer, java.util.Set<String>> changedOfRun = new HashMap<>();
  /** The commands on the scenarios' keys each actor sent, by actor and name, as MONITOR should list them. */
  final Map<String, Long> sent = new java.util.TreeMap<>();
  private int run;
  /**
   * When the last step that sent a command ended ({@code System.nanoTime()}): OpenTelemetry JS starts a span on the
   * whole millisecond, so a Node step begins over a millisecond after the step before, or a Node write right after a
   * read could show as before it (docs/lineage.md Limits).
   */
  private long lastEnded;

  ScenarioRunner(RedisRecord record, TracedService javaService, TracedService nodeService, Jedis outside) {
    this.record = record;
    this.javaService = javaService;
    this.nodeService = nodeService;
    this.outside = outside;
  }

  void runAll(List<Scenario> scenarios) throws Exception {
    Scenario[] slot = new Scenario[SLOTS];
    int[] next = new int[SLOTS];
    long[] readyAt = new long[SLOTS];
    int queued = 0;
    int busy = 0;
    for (int s = 0; s < SLOTS && queued < scenarios.size(); s++, busy++) {
      slot[s] = scenarios.get(queued++);
    }
    while (busy > 0) {
      long now = System.currentTimeMillis();
      int s = pick(slot, readyAt, now);
      if (s < 0) {
        Thread.sleep(2);
        continue;
      }
      Step step = slot[s].steps().get(next[s]);
      readyAt[s] = now + step.waitMs();
      step(slot[s], next[s]++, step, 2 + 2 * s);
      if (next[s] == slot[s].steps().size()) {
        clear(slot[s], 2 + 2 * s);
        next[s] = 0;
        slot[s] = queued < scenarios.size() ? scenarios.get(queued++) : null;
        busy -= slot[s] == null ? 1 : 0;
      }
    }
  }

  private int pick(Scenario[] slot, long[] readyAt, long now) {
    for (int i = 0; i < SLOTS; i++) {
      int s = (run + i) % SLOTS;
      if (slot[s] != null && readyAt[s] <= now) {
        return s;
      }
    }
    return -1;
  }

  private void step(Scenario scenario, int index, Step asked, int base) throws Exception {
    Step step = asked.actor() == Actor.NODE && nodeService == null
        ? new Step(Actor.TRACED, asked.batch(), asked.db(), asked.commands(), 0) : asked;
    int number = run++;
    stepOfRun.put(number, scenario.seed() + "/" + index);
    timeOfRun.put(number, System.currentTimeMillis());
    int db = base + step.db();
    List<List<String>> commands = step.placed(base);
    commands.stream().filter(c -> !c.get(0).equals("GET")).flatMap(c -> c.stream().skip(1))
        .filter(a -> a.matches("t\\d+:[ab]")).forEach(k -> changedOfRun.computeIfAbsent(number,
        n -> new java.util.HashSet<>()).add(db + "/" + k));
    List<String> line = history.computeIfAbsent(scenario.seed(), k -> new ArrayList<>());
    if (step.actor() == Actor.WAIT) {
      line.add("#" + number + " " + step);
      return;
    }
    if (step.actor() == Actor.EVICT) {
      MemoryPressure.evict(outside, scenario.seed() % 2 == 0 ? "allkeys-lru" : "allkeys-lfu");
      oracle.settle(record.closeWindow(outside));
      line.add("#" + number + " " + step);
      return;
    }
    List<String> replies;
    if (step.actor() == Actor.TRACED || step.actor() == Actor.NODE) {
      boolean node = step.actor() == Actor.NODE;
      long apart = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2) - (System.nanoTime() - lastEnded);
      if (node && apart > 0) {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(apart);
      }
      replies = (node ? nodeService : javaService).run(step, number, db, commands);
      commandOfRun.put(number, step.batch() == Step.Batch.ONE ? commands.get(0).get(0) : step.batch().name());
      if (node) {
        nodeRuns.add(number);
      }
      if (List.of(":0", "(nil)").contains(replies.get(0)) && List.of("DEL", "UNLINK", "GETDEL").contains(
          commands.get(0).get(0))) {
        removedNothing.add(number);
      }
    } else {
      outside.select(db);
      replies = commands.stream().map(this::untraced).toList();
    }
    commands.stream().filter(c -> c.size() > 1 && c.get(1).matches("t\\d+:[ab]"))
        .forEach(c -> sent.merge(step.actor() + " " + c.get(0), 1L, Long::sum));
    lastEnded = System.nanoTime();
    List<RedisRecord.Event> window = record.closeWindow(outside);
    line.add("#" + number + " " + step + " (db " + db + ") -> " + replies);
    if (step.read()) {
      Place place = new Place(db, commands.get(0).get(1));
      Change truth = oracle.read(place, replies.get(0), window);
      reads.add(new Read(scenario.seed(), index, number, place, replies.get(0), truth));
    } else {
      String name = step.batch() == Step.Batch.ONE ? commands.get(0).get(0) : step.batch().name();
      oracle.change(db, commands, replies, new Change("write", step.actor(), number, name), window);
    }
  }

  private String untraced(List<String> command) {
    try {
      Object reply = outside.sendCommand(named(command.get(0)),
          command.subList(1, command.size()).toArray(new String[0]));
      return reply == null ? "(nil)" : reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
          : reply instanceof Long l ? ":" + l : String.valueOf(reply);
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      return "!" + e.getMessage();
    }
  }

  private static redis.clients.jedis.commands.ProtocolCommand named(String name) {
    return Protocol.Command.valueOf(name);
  }

  /** A finished scenario's keys go, so that memory pressure evicts the running scenarios' keys, not old ones. */
  private void clear(Scenario scenario, int base) {
    for (int db : new int[] {base, base + 1}) {
      outside.select(db);
      outside.del(scenario.keys().toArray(new String[0]));
      sent.merge(Actor.OUTSIDE + " DEL", 1L, Long::sum);
    }
  }
}
