package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Visible;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.TimelineText;
import io.memtrace.collector.versions.KeyVersions;
import io.memtrace.collector.versions.RecordVersions;
import io.memtrace.collector.versions.VersionsText;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "timeline", mixinStandardHelpOptions = true,
    description = {"Prints one record's whole life, oldest first, with the cause of every change.",
        "Every write, read, TTL change and delete of the key by the traced services (a memory call with the Redis",
        "commands under it), and Redis's own expiries, evictions and changes outside the traced services (keyspace",
        "notifications: `serve --watch-redis URL --keyspace-events on`). Each event: when, what, and who (memory operation, service,",
        "trace), the value size, the TTL asked against the TTL Redis got; each read the write it saw, each write the",
        "reads that saw it; each read that found nothing why (deleted by a trace, expired, evicted, deleted outside,",
        "never written), or \"unknown\" and what to turn on.",
        "With --versions: the record's versions instead, oldest first, each tied to its trace, operation and service",
        "with the diff from the one before: hash fields and JSON paths added, removed and changed, a text's lines,",
        "list elements and set members added and removed, sorted-set scores; a write whose value was not captured",
        "(the agent's capture.values) shows its size only, and a value cut at the agent's cap is marked."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:Success.",
        "1:The store holds no event (with --versions: no version) of the key, or the command failed.",
        "2:Usage error, as for every command."})
final class TimelineCommand implements Callable<Integer> {

  @Option(names = "--key", paramLabel = "KEY", required = true,
      description = "The key: a memory manager's key (its Redis key follows from its commands) or a Redis key.")
  String key;

  @Option(names = "--namespace", paramLabel = "NS", description = "Only events of this namespace (memory store).")
  String namespace;

  @Option(names = "--redis", paramLabel = "HOST:PORT", description = "Only Redis events of this Redis.")
  String redis;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + TimelineRequest.DEFAULT_LIMIT,
      description = "The newest N events (default: ${DEFAULT-VALUE}, at most " + TimelineRequest.MAX_LIMIT + ").")
  int limit;

  @Option(names = "--versions",
      description = "The record's versions with their diffs, not its events; --limit then counts versions.")
  boolean versions;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Mixin
  SourceOptions source;

  @Mixin
  LoadWait loadWait;

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CollectorException("--format is text or json, not " + format);
    }
    boolean waits = loadWait.waits(false);
    try (StoreReader reader = source.open(waits)) {
      TimelineRequest request = new TimelineRequest(key, namespace, redis, limit);
      if (versions) {
        KeyVersions answer = RecordVersions.read(reader, request);
        return print(reader, waits, "version", answer.versions().isEmpty(), () -> VersionsText.json(answer),
            () -> VersionsText.text(answer));
      }
      KeyTimeline timeline = reader.timeline(request);
      return print(reader, waits, "event", timeline.events().isEmpty(), () -> TimelineText.json(timeline),
          () -> TimelineText.text(timeline));
    }
  }

  /** Prints the answer in --format, or says on standard error that {@code reader} holds no {@code what} of the key. */
  private int print(StoreReader reader, boolean waits, String what, boolean none, Supplier<String> json,
      Supplier<String> text) {
    LoadWait.tell(reader, waits);
    if (none) {
      System.err.println("no " + what + " of key " + Visible.text(key) + " in " + reader.describe());
      return 1;
    }
    System.out.print(format.equals("json") ? json.get() : text.get());
    System.out.flush();
    return 0;
  }
}
