package io.memtrace.collector.cli;

import io.memtrace.collector.Visible;
import io.memtrace.collector.snapshots.SnapshotShelf;
import io.memtrace.collector.snapshots.SnapshotSummary;
import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshots", mixinStandardHelpOptions = true,
    description = {"Lists the scheduled snapshots that `serve --snapshot-every` keeps under DIR/snapshots/.",
        "Oldest first: when each began, its Redis and database, its keys, the keys it skipped over its ceilings,",
        "the namespaces it covers, and its file. `restore --as-of` starts from the nearest one before its time."})
final class SnapshotsCommand implements Callable<Integer> {

  @Option(names = "--data", paramLabel = "DIR", defaultValue = StoreFiles.DEFAULT_DIR,
      description = "Data directory of the collector that took them (default: ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws IOException {
    SnapshotShelf shelf = new SnapshotShelf(data);
    List<SnapshotShelf.Shelved> all = shelf.list();
    if (all.isEmpty()) {
      System.out.println("no scheduled snapshots in " + Visible.text(shelf.dir().toString())
          + " (serve --watch-redis URL --snapshot-every DURATION takes them)");
      return 0;
    }
    System.out.printf("%-24s  %-21s  %3s  %8s  %7s  %-20s  %s%n", "began", "redis", "db", "keys", "skipped",
        "namespaces", "file");
    for (SnapshotShelf.Shelved s : all) {
      SnapshotSummary summary = SnapshotSummary.read(s.file());
      System.out.printf("%-24s  %-21s  %3d  %8d  %7d  %-20s  %s%n", s.began(), Visible.text(s.redis()), s.db(),
          summary.keys(), summary.skipped(), Visible.text(summary.namespaces().isEmpty() ? "*"
              : String.join(",", summary.namespaces())), Visible.text(s.file().getFileName().toString()));
    }
    return 0;
  }
}
