package io.memtrace.collector.truth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle's Redis: what each key holds and which change made it so, kept by applying each command as its reply
 * says it went (so a RENAME of a key that had just expired changes nothing) and each expiry and eviction Redis
 * reported. Only string values, the only kind the scenarios write.
 */
final class KeyModel {

  record Place(int db, String key) {
    @Override
    public String toString() {
      return key + "@" + db;
    }
  }

  /** A key's state: its value (null when absent) and the change that made it so. */
  record Holding(String value, Change change) {
    static final Holding NEVER = new Holding(null, Change.NEVER);
  }

  private final Map<Place, Holding> places = new HashMap<>();

  Holding at(Place place) {
    return places.getOrDefault(place, Holding.NEVER);
  }

  /** Redis removed it (expired, evicted), if it was there. */
  void removed(Place place, String event) {
    if (at(place).value() != null) {
      places.put(place, new Holding(null, Change.redis(event)));
    }
  }

  /** Applies {@code command}, run on {@code db} with {@code reply}, as the change {@code by}. */
  void apply(int db, List<String> command, String reply, Change by) {
    if (reply.startsWith("!")) {
      return;
    }
    String name = command.get(0);
    Place key = command.size() > 1 ? new Place(db, command.get(1)) : null;
    switch (name) {
      case "SET", "SETEX" -> write(key, name.equals("SET") ? command.get(2) : command.get(3), by);
      case "DEL", "UNLINK", "GETDEL" -> {
        if (!reply.equals(":0") && !reply.equals("(nil)")) {
          delete(key, by);
        }
      }
      case "RENAME" -> {
        Holding from = at(key);
        delete(key, by);
        write(new Place(db, command.get(2)), from.value(), by);
      }
      case "COPY" -> {
        if (reply.equals(":1")) {
          int to = command.size() > 4 && command.get(3).equals("DB") ? Integer.parseInt(command.get(4)) : db;
          write(new Place(to, command.get(2)), at(key).value(), by);
        }
      }
      case "MOVE" -> {
        if (reply.equals(":1")) {
          write(new Place(Integer.parseInt(command.get(2)), command.get(1)), at(key).value(), by);
          delete(key, by);
        }
      }
      case "EVAL" -> write(new Place(db, command.get(3)), command.get(4), by);
      case "FCALL" -> write(new Place(db, command.get(3)), command.get(4), by);
      case "SWAPDB" -> swap(Integer.parseInt(command.get(1)), Integer.parseInt(command.get(2)), by);
      case "FLUSHDB" -> places.keySet().stream().filter(p -> p.db() == db && at(p).value() != null).toList()
          .forEach(p -> delete(p, by));
      default -> {
        // GET, PEXPIRE, PERSIST: the value stays; an expiry comes as Redis's own event
      }
    }
  }

  private void write(Place place, String value, Change by) {
    places.put(place, new Holding(value, by));
  }

  private void delete(Place place, Change by) {
    if (at(place).value() != null) {
      places.put(place, new Holding(null, new Change("delete", by.by(), by.run(), by.command())));
    }
  }

  /**
   * Each key of the two databases now holds what the other's held, made so by the SWAPDB; a key that was there and
   * is no longer was removed by it, and one absent from both keeps its earlier cause.
   */
  private void swap(int a, int b, Change by) {
    Map<Place, Holding> swapped = new HashMap<>();
    places.keySet().stream().filter(p -> p.db() == a || p.db() == b).map(Place::key).distinct().forEach(key -> {
      for (int db : new int[] {a, b}) {
        Place here = new Place(db, key);
        Holding came = at(new Place(db == a ? b : a, key));
        swapped.put(here, came.value() != null ? new Holding(came.value(), by) : at(here).value() == null ? at(here)
            : new Holding(null, new Change("delete", by.by(), by.run(), by.command())));
      }
    });
    places.putAll(swapped);
  }
}
