package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.reader.ClickHouseReader;
import io.memtrace.collector.embedded.HealthMeter;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.server.ApiSettings;
import io.memtrace.collector.server.ApiToken;
import io.memtrace.collector.server.QueryTierServer;
import io.memtrace.collector.store.StoreFiles;
import java.net.BindException;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve --clickhouse}, the query tier: no store and no OTLP ingest, every answer from a fleet's ClickHouse,
 * and the memory health gauges measured there and sent on.
 */
final class QueryTierServe {

  private QueryTierServe() {
  }

  /** Serves with {@code serve}'s options until stopped. */
  static Integer run(ServeCommand serve) throws Exception {
    if (serve.watch.any() || serve.timeseries != null) {
      throw new CollectorException("--clickhouse serves a fleet's ClickHouse and receives no spans: --watch-redis "
          + "and --timeseries do not apply (the OpenTelemetry Collector gateway receives them)");
    }
    StoreFiles files = new StoreFiles(serve.data);
    QueryLimits queryLimits = serve.api.queryLimits();
    ClickHouseUrl url = ClickHouseUrl.parse(serve.clickhouse, System.getenv());
    // connect once now: a bad URL, a server out of reach or refused credentials stop serve with one line
    ClickHouseReader.open(url, queryLimits).close();
    StoreReader.Factory readers = ClickHouseReader.factory(url, queryLimits);
    String token = ApiToken.forServer(files, serve.api.givenToken());
    QueryTierServer server;
    try {
      server = new QueryTierServer(serve.bind, serve.ports.http(),
          serve.limits.front(Units.bytes("--max-body", serve.maxBody)), readers,
          new ApiSettings(token, serve.api.allowedHosts(), UUID.randomUUID().toString(), queryLimits));
    } catch (BindException e) {
      throw new CollectorException("cannot listen on " + serve.bind + ":" + serve.ports.http() + ": " + e.getMessage(), e);
    }
    server.start();
    // the memory health gauges of the fleet's memory calls, measured in ClickHouse, go to --health-to or --forward
    // (it receives no spans here, so it forwards nothing else); without either there is nowhere to send them
    HealthOptions gauges = serve.health;
    URI healthOut = gauges.to != null ? gauges.to : serve.forward;
    Forwarder forwarder = healthOut == null || gauges.intervalMillis() <= 0 ? null
        : new Forwarder(healthOut, serve.forwardQueue);
    ClickHouseReader healthReader = forwarder == null ? null : ClickHouseReader.open(url, queryLimits);
    TenantRule tenant = MemoryStateConfig.read(serve.config).tenant();
    HealthMeter health = healthReader == null ? null : new HealthMeter(since -> healthReader.health(since, tenant),
        forwarder, null, gauges.periodMillis(), gauges.windowMillis()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (health != null) {
        health.close();
        healthReader.close();
        forwarder.close();
      }
      stopped.countDown();
    }, "memtrace-shutdown"));
    ServeNotice.announce(serve.bind, "memtrace query tier listening on http://" + serve.bind + ":" + server.port()
        + " (SQL /api/query, /api/report), answering from ClickHouse at " + url
        + (forwarder == null ? "" : "; memory health gauges to " + healthOut) + "; API token "
        + serve.api.tokenSource(files.apiToken().toString()), server.port(), server.webSignInUrl());
    stopped.await();
    return 0;
  }
}
