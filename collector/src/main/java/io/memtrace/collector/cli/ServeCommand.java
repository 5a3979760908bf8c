package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Failures;
import io.memtrace.collector.forward.ForwardStats;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.IngestListener;
import io.memtrace.collector.ingest.StatementKeys;
import io.memtrace.collector.keyspace.GrowthRule;
import io.memtrace.collector.keyspace.KeyspaceLatest;
import io.memtrace.collector.embedded.HealthMeter;
import io.memtrace.collector.keyspace.KeyspaceWatchers;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.server.CollectorServer;
import io.memtrace.collector.server.ServerNote;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.timeseries.KeyUsageTracker;
import io.memtrace.collector.timeseries.TimeseriesWriter;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.provenance.CrossTenantMeter;
import io.memtrace.collector.server.ApiSettings;
import io.memtrace.collector.server.ApiToken;
import io.memtrace.collector.snapshots.ScheduledSnapshots;
import io.memtrace.collector.snapshots.SnapshotSchedule;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Receives OTLP, stores it, and serves SQL, the HTTP API and the web view.",
        "OTLP/HTTP (protobuf or JSON, gzip or not) on /v1/traces and /v1/metrics, OTLP/gRPC on --grpc-port",
        "(4317; with --port alone, a free port that the start-up line names).",
        "A request is answered 200 once it is durable: a trace request once it is in the ingest log on disk",
        "(loaded into the store behind), a metric request once committed. Read-only SQL on /api/query, which",
        "`query`, `traces` and `report` use while this runs; /api/* needs the API token (--api-token).",
        "Stops cleanly on Ctrl-C or SIGTERM."})
final class ServeCommand implements Callable<Integer> {

  @Mixin
  ServePorts ports;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 to accept other hosts).")
  String bind;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = StoreFiles.DEFAULT_DIR,
      description = "Data directory: the span store, its ingest log, the api-token file and collector.json, through "
          + "which the other commands find this server (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--clickhouse", paramLabel = "URL",
      description = {"Serve a fleet's ClickHouse instead of a store of its own (the query tier): the web view, "
          + "/api/report and /api/query answer from http://HOST:8123/DATABASE, the database the OpenTelemetry "
          + "Collector's clickhouseexporter writes to; no OTLP ingest. The user and password come from "
          + "MEMTRACE_CLICKHOUSE_USER and MEMTRACE_CLICKHOUSE_PASSWORD; --data DIR then holds only the api-token file."})
  String clickhouse;

  @Option(names = "--forward", paramLabel = "URL",
      description = "Also send every payload to this OTLP/HTTP endpoint, e.g. http://otel-collector:4318. With "
          + "--clickhouse, where serve receives none, only the memory health gauges.")
  URI forward;

  @Option(names = "--forward-queue", paramLabel = "N", defaultValue = "1000",
      description = "Payloads waiting to be forwarded before new ones are dropped (default: ${DEFAULT-VALUE}).")
  int forwardQueue;

  @Option(names = "--timeseries", paramLabel = "FILE",
      description = "Append one JSON line of key-usage statistics per interval to FILE.")
  Path timeseries;

  @Option(names = "--timeseries-interval", paramLabel = "DURATION", defaultValue = "10s",
      description = "Interval of --timeseries (default: ${DEFAULT-VALUE}).")
  String timeseriesInterval;

  @Mixin
  ServeWatchOptions watch;

  @Option(names = "--config", paramLabel = "FILE",
      description = "memtrace's YAML file (the agent's memtrace.yaml): the watcher takes redis.namespace-from-key "
          + "and the memory-state layers from it, and the keys read from other instrumentations' Redis statements "
          + "take their namespaces by that rule; model calls' records of another tenant are flagged by its "
          + "memory-state.tenant rule (default: the agent's defaults, no tenant rule).")
  Path config;


  @Option(names = "--model-calls-interval", paramLabel = "DURATION", defaultValue = "15s",
      description = "How often the model calls received since the last look (and those whose memory spans had not "
          + "arrived yet) are judged for the memory.tenant.cross_reads counter, when --config has a "
          + "memory-state.tenant rule (default: ${DEFAULT-VALUE}).")
  String modelCallsInterval;

  @Mixin
  HealthOptions health;

  @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "16MiB",
      description = "Largest request body, also after gzip decompression (default: ${DEFAULT-VALUE}).")
  String maxBody;

  @Mixin
  ServeLimits limits;

  @Mixin
  ValueOptions values;

  @Mixin
  ApiOptions api;

  @Override
  public Integer call() throws Exception {
    health.check();
    if (clickhouse != null) {
      return QueryTierServe.run(this);
    }
    StoreFiles files = new StoreFiles(data);
    long bodyLimit = Units.bytes("--max-body", maxBody);
    long intervalMillis = Units.duration("--timeseries-interval", timeseriesInterval).toMillis();
    Units.requireHttp("--forward", forward);
    QueryLimits queryLimits = api.queryLimits();
    MemoryStateConfig memoryState = MemoryStateConfig.read(config);
    // other instrumentations' Redis spans get their namespaces by the same rule as the watcher's and the agent's
    StatementKeys.useNamespaceRule(memoryState.namespaceRule());
    KeyspaceWatchers watchers = watch.watchers(memoryState);
    SnapshotSchedule schedule = watch.schedule(memoryState.namespaceRule());
    ServerNote.read(files).filter(ServerNote.Reading::trusted).ifPresent(note -> {
      throw new CollectorException("a collector already serves " + files.dir() + " at " + note.url()
          + " (pid " + note.pid() + ")");
    });
    FrontLimits frontLimits = limits.front(bodyLimit);
    Integer grpc = ports.grpc();
    String givenToken = api.givenToken();
    long memory = BoundedHeap.servingBudget(limits.memoryBytes(), System.getenv());
    Failures.install();
    BoundedHeap.watchLauncher();
    Duration valueRetention = values.retention();
    long valueBudget = values.budgetBytes();
    Duration valueInterval = values.interval();
    SpanStore store = SpanStore.open(files, memory, OtlpIngest::decodeSpans);
    store.keepValues(valueRetention, valueBudget, valueInterval);
    String token;
    try {
      // only once the store is ours: a second serve refused by the lock must not replace the first one's token
      token = ApiToken.forServer(files, givenToken);
    } catch (java.io.IOException e) {
      store.close();
      throw new CollectorException("cannot write the API token to " + files.apiToken() + ": " + e.getMessage(), e);
    }
    String instance = java.util.UUID.randomUUID().toString();
    Forwarder forwarder = forward == null ? null : new Forwarder(forward, forwardQueue, values.forwardValues);
    KeyUsageTracker tracker = timeseries == null ? null : new KeyUsageTracker();
    KeyspaceLatest latest = watchers == null || tracker == null ? null : new KeyspaceLatest(GrowthRule.defaults());
    TimeseriesWriter series = tracker == null ? null
        : new TimeseriesWriter(timeseries, tracker, latest, intervalMillis, true);
    if (watchers != null) {
      watchers.sendTo(watchers.storeSinks(store, forwarder, latest));
      watchers.notifyTo(KeyspaceWatchers.storeNotificationSinks(store, forwarder));
    }
    CollectorServer server;
    try {
      server = new CollectorServer(bind, ports.http(), grpc, bodyLimit, frontLimits, store, forwarder,
          tracker == null ? IngestListener.NONE : tracker,
          new ApiSettings(token, api.allowedHosts(), instance, queryLimits, memoryState.tenant()));
    } catch (BindException e) {
      store.close();
      throw new CollectorException(e.getMessage().startsWith("OTLP/gRPC") ? "cannot listen: " + e.getMessage()
          : "cannot listen on " + bind + ":" + ports.http() + ": " + e.getMessage(), e);
    }
    server.start();
    if (watchers != null) {
      watchers.start();
    }
    ScheduledSnapshots scheduled = watch.startSnapshots(schedule, files);
    CrossTenantMeter crossTenant = !memoryState.tenant().any() ? null : new CrossTenantMeter(store, forwarder,
        memoryState.tenant(), Units.duration("--model-calls-interval", modelCallsInterval).toMillis()).start();
    boolean measured = health.intervalMillis() > 0;
    Forwarder healthOut = health.to == null || !measured ? null : new Forwarder(health.to, forwardQueue, false);
    HealthMeter healthMeter = !measured ? null : new HealthMeter(store, healthOut != null ? healthOut : forwarder,
        healthOut == null, memoryState.tenant(), health.periodMillis(), health.windowMillis()).start();
    ServerNote.write(files, server.localUrl(), instance);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (watchers != null) {
        watchers.close(); // before the store closes under its tables
      }
      if (scheduled != null) {
        scheduled.close();
      }
      if (crossTenant != null) {
        crossTenant.close();
      }
      if (healthMeter != null) {
        healthMeter.close();
      }
      if (healthOut != null) {
        healthOut.close(java.time.Duration.ofSeconds(5));
      }
      stop(server, series, store, forwarder, files);
      stopped.countDown();
    }, "memtrace-shutdown"));
    ServeNotice.announce(bind, "memtrace collector listening on http://" + bind + ":" + server.port()
        + " (OTLP /v1/traces /v1/metrics, SQL /api/query)"
        + ports.describeGrpc(bind, server.grpcPort())
        + "; data in " + files.dir()
        + (forwarder == null ? "" : "; forwarding to " + forward)
        + (watchers == null ? "" : "; watching the keyspace of " + String.join(", ", watchers.addresses()))
        + (schedule == null ? "" : "; snapshots " + schedule.describe())
        + "; API token "
        + api.tokenSource(files.apiToken().toString()), server.port(), server.webSignInUrl());
    stopped.await();
    return 0;
  }

  /** Order matters: no new requests, then commit what was accepted, then flush what is queued upstream. */
  private static void stop(CollectorServer server, TimeseriesWriter series, SpanStore store, Forwarder forwarder,
      StoreFiles files) {
    server.close();
    if (series != null) {
      series.close();
    }
    if (store.ingestLog() != null && store.ingestLog().unloadedSpans() > 0) {
      System.err.println("memtrace collector: loading the " + store.ingestLog().unloadedSpans() + " acknowledged spans "
          + "still in the ingest log before stopping (a stop without waiting loads them at the next start)");
    }
    store.close();
    String forwarded = "";
    if (forwarder != null) {
      forwarder.close(java.time.Duration.ofSeconds(5));
      ForwardStats f = forwarder.stats();
      forwarded = ", forwarded " + f.sent() + ", forward drops " + f.dropped();
    }
    ServerNote.remove(files);
    long duplicates = store.duplicatesSkipped();
    System.err.println("memtrace collector stopped: " + (server.stats().spans() - duplicates) + " spans, "
        + server.stats().metricPoints() + " metric points stored, " + server.stats().rejected()
        + " requests refused, " + duplicates + " duplicate spans skipped, /v1/traces answered in "
        + server.stats().ackLatency().summary() + forwarded);
    System.err.flush();
  }

}
