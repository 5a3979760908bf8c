package io.memtrace.collector.truth;

import java.util.List;

/**
 * One step of a scenario, as generated: who acts, on which of the scenario's two databases ({@code 0} or {@code 1},
 * placed on real ones when it runs), and the commands. A database named in an argument is written {@code @0} or
 * {@code @1} for the same reason.
 *
 * @param actor    a traced service, the untraced client, a pause, or memory pressure
 * @param batch    one command, a pipeline or a MULTI/EXEC transaction
 * @param waitMs   for a pause: how long
 */
record Step(Actor actor, Batch batch, int db, List<List<String>> commands, long waitMs) {

  /** The Java service under the agent, the Node service, the untraced client, a pause, memory pressure. */
  enum Actor { TRACED, NODE, OUTSIDE, WAIT, EVICT }

  enum Batch { ONE, PIPE, MULTI }

  static Step traced(int db, String... command) {
    return new Step(Actor.TRACED, Batch.ONE, db, List.of(List.of(command)), 0);
  }

  /** The same step by the Node service. */
  Step byNode() {
    return new Step(Actor.NODE, batch, db, commands, waitMs);
  }

  static Step outside(int db, String... command) {
    return new Step(Actor.OUTSIDE, Batch.ONE, db, List.of(List.of(command)), 0);
  }

  static Step batch(Batch batch, int db, List<List<String>> commands) {
    return new Step(Actor.TRACED, batch, db, commands, 0);
  }

  static Step pause(long millis) {
    return new Step(Actor.WAIT, Batch.ONE, 0, List.of(), millis);
  }

  static Step evict() {
    return new Step(Actor.EVICT, Batch.ONE, 0, List.of(), 0);
  }

  /** A traced single GET: the reads whose answers the suite checks. */
  boolean read() {
    return actor == Actor.TRACED && batch == Batch.ONE && commands.get(0).get(0).equals("GET");
  }

  /** The commands with their databases placed from {@code base}. */
  List<List<String>> placed(int base) {
    return commands.stream().map(c -> c.stream().map(a -> a.startsWith("@") ? String.valueOf(base
        + Integer.parseInt(a.substring(1))) : a).toList()).toList();
  }

  @Override
  public String toString() {
    return switch (actor) {
      case WAIT -> "wait " + waitMs + " ms";
      case EVICT -> "memory pressure until evictions";
      default -> (actor == Actor.TRACED ? "traced" : actor == Actor.NODE ? "node" : "untraced") + " db@" + db + " "
          + (batch == Batch.ONE ? String.join(" ", commands.get(0)) : batch + " " + commands);
    };
  }
}
