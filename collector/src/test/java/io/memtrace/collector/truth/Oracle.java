package io.memtrace.collector.truth;

import io.memtrace.collector.truth.KeyModel.Place;
import io.memtrace.collector.truth.RedisRecord.Event;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The truth of each read, from Redis's record and never from memtrace's: the {@link KeyModel} is changed by each
 * step's commands as their replies say, and by the expiries and evictions in the step's window of keyspace events,
 * each on its side of the command by Redis's own order (the first event the command made on a key it names marks
 * where it ran). A read is answered from the state before its window, by its own reply: a value is the write that
 * made it (every value is unique), nothing is the last removal, or an expiry or eviction in its window (Redis expires
 * a key lazily, as the read touches it).
 */
final class Oracle {

  private static final Pattern KEY = Pattern.compile("t-?\\d+:[ab]");

  final KeyModel model = new KeyModel();
  /** Reads whose reply the model could not explain: a fault of the suite, counted apart and never hidden. */
  final java.util.List<String> inconsistencies = new java.util.ArrayList<>();

  /** What the read of {@code place}, answered {@code reply}, saw; then the window is applied. */
  Change read(Place place, String reply, List<Event> window) {
    KeyModel.Holding before = model.at(place);
    Change truth;
    if (!reply.equals("(nil)")) {
      truth = reply.equals(before.value()) ? before.change() : null;
    } else if (before.value() == null) {
      truth = before.change();
    } else {
      truth = window.stream().filter(e -> e.removal() && e.db() == place.db() && e.key().equals(place.key()))
          .findFirst().map(e -> Change.redis(e.event())).orElse(null);
    }
    if (truth == null) {
      inconsistencies.add("read of " + place + " answered " + reply + " where the model held " + before);
    }
    removals(window, 0, window.size());
    return truth;
  }

  /**
   * Applies a step's commands (a change {@code by}) on {@code db} and the removals of its window in their order: each
   * command where its own first event on a key it names came, in turn. A pipeline is not atomic: Redis may expire or
   * evict a key between two of its commands (seed 13573: an old value's expiry came after a pipeline's first SET's
   * event and before its second SET's, which wrote the key, and applied after the whole pipeline it left the model
   * holding nothing where the next read found the second SET's value).
   */
  void change(int db, List<List<String>> commands, List<String> replies, Change by, List<Event> window) {
    int[] ran = new int[commands.size()];
    int from = 0;
    for (int i = 0; i < commands.size(); i++) {
      Set<Place> named = named(db, commands.get(i));
      ran[i] = -1;
      for (int j = from; j < window.size() && ran[i] < 0; j++) {
        Event e = window.get(j);
        if (!e.removal() && named.contains(new Place(e.db(), e.key()))) {
          ran[i] = j;
          from = j + 1;
        }
      }
    }
    int at = 0;
    for (int i = 0; i < commands.size(); i++) {
      if (ran[i] >= 0) {
        removals(window, at, ran[i]);
        at = ran[i] + 1;
      } else if (java.util.Arrays.stream(ran, i, ran.length).allMatch(r -> r < 0)) {
        // no event marks where this command or any after it ran (a SWAPDB, a FLUSHDB, a command that changed
        // nothing): the window's removals came before them
        removals(window, at, window.size());
        at = window.size();
      }
      model.apply(db, commands.get(i), replies.get(i), by);
    }
    removals(window, at, window.size());
  }

  /** The places a command names: its keys, in its database and in any database it names (MOVE, COPY DB, SWAPDB). */
  private static Set<Place> named(int db, List<String> command) {
    Set<Integer> dbs = new HashSet<>(List.of(db));
    command.stream().skip(1).filter(a -> a.matches("\\d+")).map(Integer::parseInt).filter(d -> d < 16)
        .forEach(dbs::add);
    Set<Place> named = new HashSet<>();
    command.stream().filter(a -> KEY.matcher(a).matches()).forEach(k -> dbs.forEach(d -> named.add(new Place(d, k))));
    return named;
  }

  /** A window in which no step of a scenario ran (memory pressure): only its removals. */
  void settle(List<Event> window) {
    removals(window, 0, window.size());
  }

  private void removals(List<Event> window, int from, int to) {
    for (Event e : window.subList(from, to)) {
      if (e.removal()) {
        model.removed(new Place(e.db(), e.key()), e.event());
      }
    }
  }
}
