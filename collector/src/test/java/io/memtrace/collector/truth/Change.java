package io.memtrace.collector.truth;

import io.memtrace.collector.truth.Step.Actor;
import java.util.Set;

/**
 * What last made a key what it is, in the oracle: a write (its value is that write's), a removal, or nothing ever.
 *
 * @param what    {@code write}, {@code delete}, {@code expired}, {@code evicted} or {@code never}
 * @param by      who: the traced service, the untraced client, or null (Redis itself, or nothing)
 * @param run     the step's number in the run (its span, when traced), or -1
 * @param command the command that did it ({@code SET}, {@code RENAME}, {@code PIPE}…), or null
 */
record Change(String what, Actor by, int run, String command) {

  static final Change NEVER = new Change("never", null, -1, null);

  /**
   * Commands whose span names the key they change, so lineage can know them: the key is their first (and only)
   * key; a pipeline's or transaction's span names each command's key in its {@code memtrace.batch.command} events.
   * RENAME, COPY and MOVE name their source; a script's span names its key but not what it did to it.
   */
  private static final Set<String> NAMED = Set.of("SET", "SETEX", "DEL", "UNLINK", "GETDEL", "PIPE", "MULTI");

  static Change redis(String event) {
    return new Change(event, null, -1, null);
  }

  boolean traced() {
    return by == Actor.TRACED || by == Actor.NODE;
  }

  /** A traced change of this key that its own span names: memtrace has no excuse not to know it. */
  boolean namedByItsSpan() {
    return traced() && NAMED.contains(command);
  }

  @Override
  public String toString() {
    if (what.equals("never") || what.equals("expired") || what.equals("evicted")) {
      return what.equals("never") ? "never written" : what + " by Redis";
    }
    String who = by == Actor.TRACED ? "traced " : by == Actor.NODE ? "node " : "untraced ";
    return what + " by " + who + command + " (step #" + run + ")";
  }
}
