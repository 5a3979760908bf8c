package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.keyspace.GrowthRule;
import io.memtrace.collector.keyspace.KeyspaceGauges;
import io.memtrace.collector.keyspace.KeyspaceLatest;
import io.memtrace.collector.keyspace.KeyspaceSink;
import io.memtrace.collector.keyspace.KeyspaceWatchers;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.keyspace.PassTable;
import io.memtrace.collector.keyspace.WatchSettings;
import io.memtrace.collector.keyspace.notify.NotificationLines;
import io.memtrace.collector.keyspace.notify.NotificationMetrics;
import io.memtrace.collector.keyspace.notify.NotificationSink;
import io.memtrace.collector.server.ServerNote;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.timeseries.TimeseriesWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Watches Redis's own keyspace without a running collector.",
        "Per database and namespace: its keys (counted, or estimated from a sample of a database above "
        + "--watch-sample-above keys, with an error bound),",
        "bytes (MEMORY USAGE, exact or estimated with an error bound), keys without TTL, TTL and idle percentiles, "
        + "type mix, and the server's memory and eviction figures, one pass per interval.",
        "Writes JSON lines (--out), a store (--data), a fleet's ClickHouse (--clickhouse), OTLP gauges (--forward), or "
        + "without those a table per pass on stdout.",
        "With keyspace notifications (--keyspace-events), a JSON line on stdout per pass counts them (type "
        + "key_notification_status); --data and --clickhouse also keep each one."})
final class WatchCommand implements Callable<Integer> {

  @Option(names = "--redis", paramLabel = "URL", required = true,
      description = "A Redis to watch: redis://[user:password@]host:port, or rediss:// for TLS; repeatable. Credentials "
          + "are never printed.")
  List<String> redis = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "memtrace's YAML file (the agent's memtrace.yaml): the watcher takes redis.namespace-from-key and "
          + "the memory-state layers from it (default: the agent's defaults).")
  Path config;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = WatchSettings.DEFAULT_INTERVAL,
      description = "Time between passes (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--commands-per-second", paramLabel = "N", defaultValue = "" + WatchSettings.DEFAULT_COMMANDS_PER_SECOND,
      description = "Ceiling on the commands sent to one Redis (default: ${DEFAULT-VALUE}).")
  int commandsPerSecond;

  @picocli.CommandLine.Mixin
  WatchSampling sampling;

  @picocli.CommandLine.Mixin
  WatchEvents events;

  @Option(names = "--out", paramLabel = "FILE.jsonl",
      description = "Append one JSON line per pass: the --timeseries format of serve, keyspace figures per namespace.")
  Path out;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Also store each pass in the keyspace tables of the span store in DIR; not one a running serve "
          + "holds (give that serve --watch-redis instead).")
  Path data;

  @Option(names = "--clickhouse", paramLabel = "URL",
      description = "Also write each pass's namespace rows into memtrace_keyspace of this ClickHouse "
          + "(http://HOST:8123/DATABASE, made by `clickhouse init`), where serve --clickhouse reads them; the user "
          + "and password come from MEMTRACE_CLICKHOUSE_USER and MEMTRACE_CLICKHOUSE_PASSWORD.")
  String clickhouse;

  @Option(names = "--forward", paramLabel = "URL",
      description = "Send the gauges of each pass as OTLP/HTTP metrics to this endpoint, e.g. http://otel-collector:4318.")
  URI forward;

  @Option(names = "--passes", paramLabel = "N", defaultValue = "0",
      description = "Stop after N passes per Redis, failed ones included (default: until Ctrl-C).")
  long passes;

  @Override
  public Integer call() {
    Units.requireHttp("--forward", forward);
    MemoryStateConfig memoryState = MemoryStateConfig.read(config);
    WatchSettings settings = WatchSettings.defaults(Units.duration("--interval", interval).toMillis(), commandsPerSecond);
    settings = sampling.apply(settings);
    KeyspaceWatchers watchers = new KeyspaceWatchers("--redis", redis, settings, events.settings(), memoryState);
    SpanStore store = data == null ? null : openStore(new StoreFiles(data));
    Forwarder forwarder = forward == null ? null : new Forwarder(forward, 100);
    KeyspaceLatest latest = out == null ? null : new KeyspaceLatest(GrowthRule.defaults());
    TimeseriesWriter series = out == null ? null : new TimeseriesWriter(out, null, latest, settings.intervalMillis(), false);
    List<KeyspaceSink> sinks = new ArrayList<>();
    List<NotificationSink> notificationSinks = new ArrayList<>();
    notificationSinks.add(new NotificationLines(System.out));
    io.memtrace.collector.clickhouse.ClickHouseKeyspaceSink fleet = clickhouse == null ? null
        : new io.memtrace.collector.clickhouse.ClickHouseKeyspaceSink(
            io.memtrace.collector.clickhouse.ClickHouseUrl.parse(clickhouse, System.getenv()));
    if (fleet != null) {
      sinks.add(fleet);
      notificationSinks.add(new io.memtrace.collector.clickhouse.ClickHouseNotificationSink(
          io.memtrace.collector.clickhouse.ClickHouseUrl.parse(clickhouse, System.getenv())));
    }
    if (store != null) {
      sinks.addAll(watchers.storeSinks(store, forwarder, null));
      notificationSinks.addAll(KeyspaceWatchers.storeNotificationSinks(store, forwarder));
    } else if (forwarder != null) {
      sinks.add(new KeyspaceGauges(memoryState.layers(), forwarder, null));
      notificationSinks.add(new NotificationMetrics(forwarder, null));
    }
    if (series != null) {
      sinks.add(latest);
      sinks.add(snapshot -> series.writeInterval());
    }
    if (sinks.isEmpty()) {
      sinks.add(new PassTable(System.out));
    }
    watchers.sendTo(sinks);
    watchers.notifyTo(notificationSinks);
    Thread stop = new Thread(() -> close(watchers, series, forwarder, store, fleet), "memtrace-watch-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    System.err.println("memtrace watch: " + String.join(", ", watchers.addresses()) + " every " + interval
 + ", at most " + commandsPerSecond + " commands a second, " + WatchSampling.describe(settings) + "; namespaces by " + memoryState.namespaceRule()
        + " (" + memoryState.source() + ")");
    if (passes > 0) {
      watchers.run(passes);
      Runtime.getRuntime().removeShutdownHook(stop);
      close(watchers, series, forwarder, store, fleet);
    } else {
      watchers.start();
      try {
        Thread.currentThread().join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return 0;
  }

  private static SpanStore openStore(StoreFiles files) {
    ServerNote.read(files).filter(ServerNote.Reading::trusted).ifPresent(note -> {
      throw new CollectorException("a collector serves " + files.dir() + " at " + note.url() + " (pid " + note.pid()
          + "); give it --watch-redis instead of running watch --data on its store");
    });
    return SpanStore.open(files, OtlpIngest::decodeSpans);
  }

  private static void close(KeyspaceWatchers watchers, TimeseriesWriter series, Forwarder forwarder, SpanStore store,
      AutoCloseable fleet) {
    watchers.close();
    if (fleet != null) {
      try {
        fleet.close();
      } catch (Exception ignored) {
        // the connection goes with the process
      }
    }
    if (series != null) {
      series.close();
    }
    if (forwarder != null) {
      forwarder.close(Duration.ofSeconds(5));
    }
    if (store != null) {
      store.close();
    }
  }
}
