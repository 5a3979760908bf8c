package io.memtrace.collector.snapshots;

import io.memtrace.collector.CollectorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where scheduled snapshots are kept: {@code DIR/snapshots/}, one file per Redis, database and time, named
 * {@code HOST_PORT-dbN-EPOCHMILLIS.json} by the time the snapshot began, so that the files list in time order without
 * opening one. A file being written ends in {@code .partial} and is never listed.
 */
public final class SnapshotShelf {

  private static final Pattern NAME = Pattern.compile("(.+)-db(\\d+)-(\\d+)\\.json");

  private final Path dir;

  public SnapshotShelf(Path dataDir) {
    this.dir = dataDir.resolve("snapshots");
  }

  /** One kept snapshot, as its name says. */
  public record Shelved(Path file, String redis, int db, Instant began) {
  }

  public Path dir() {
    return dir;
  }

  /** The file a snapshot of {@code redis} ({@code host:port}) and {@code db} that begins at {@code began} goes to. */
  public Path fileFor(String redis, int db, Instant began) {
    return dir.resolve(redis.replaceAll("[^A-Za-z0-9.\\-]", "_") + "-db" + db + "-" + began.toEpochMilli() + ".json");
  }

  /** Every kept snapshot, oldest first. */
  public List<Shelved> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Shelved> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (m.matches() && Files.isRegularFile(file)) {
          all.add(new Shelved(file, address(m.group(1)), Integer.parseInt(m.group(2)),
              Instant.ofEpochMilli(Long.parseLong(m.group(3)))));
        }
      }
    } catch (IOException e) {
      throw new CollectorException("cannot list the snapshots in " + dir + ": " + e.getMessage(), e);
    }
    all.sort(Comparator.comparing(Shelved::began).thenComparing(s -> s.file().toString()));
    return all;
  }

  /** Those that began before {@code time}, newest first: the candidates for a rebuild as of then. */
  public List<Shelved> before(Instant time) {
    List<Shelved> earlier = new ArrayList<>(list().stream().filter(s -> s.began().isBefore(time)).toList());
    java.util.Collections.reverse(earlier);
    return earlier;
  }

  /**
   * Removes the snapshots of {@code redis} and {@code db} beyond the newest {@code keep} (0: no count limit) or older
   * than {@code retentionMillis} before {@code now} (0: no age limit); returns how many went.
   */
  public int prune(String redis, int db, int keep, long retentionMillis, Instant now) {
    List<Shelved> mine = new ArrayList<>(list().stream().filter(s -> s.redis().equals(address(
        redis.replaceAll("[^A-Za-z0-9.\\-]", "_"))) && s.db() == db).toList());
    java.util.Collections.reverse(mine); // newest first
    int removed = 0;
    for (int i = 0; i < mine.size(); i++) {
      Shelved s = mine.get(i);
      boolean tooMany = keep > 0 && i >= keep;
      boolean tooOld = retentionMillis > 0 && s.began().isBefore(now.minusMillis(retentionMillis));
      if (tooMany || tooOld) {
        try {
          Files.deleteIfExists(s.file());
          removed++;
        } catch (IOException e) {
          io.memtrace.collector.Log.warn("cannot remove the old snapshot " + s.file() + ": " + e.getMessage());
        }
      }
    }
    return removed;
  }

  /** {@code host_port} back to {@code host:port} (the last {@code _} was the colon). */
  private static String address(String name) {
    int cut = name.lastIndexOf('_');
    return cut < 0 ? name : name.substring(0, cut) + ":" + name.substring(cut + 1);
  }
}
