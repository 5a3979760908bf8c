// Health: memtrace's own counters per service (from the metrics the agents send) and the
// collector's ingest statistics (/api/status).
import { h, clear, num, ms } from '../dom.js';
import { status } from '../api.js';
import { panel, table, empty, stat, loading } from '../ui.js';

const COUNTERS = ['memtrace.events.produced', 'memtrace.events.exported', 'memtrace.events.compressed', 'memtrace.events.dropped', 'memtrace.export.failures'];

export default {
  title: 'Health',
  render(root) {
    const counters = panel('memtrace counters per service');
    const ingest = panel('Collector ingest (/api/status)');
    root.append(h('h1', null, 'Health'), counters.el, ingest.el);
    const controller = new AbortController();
    async function load() {
      try {
        const rows = await counters.ask('counters', {}, controller.signal);
        const services = new Map();
        for (const r of rows) {
          if (!services.has(r.service_name)) services.set(r.service_name, { service: r.service_name });
          services.get(r.service_name)[r.name] = r.value;
        }
        const list = [...services.values()];
        counters.setNote('produced = exported + compressed + dropped. Dropped events and export failures are marked.');
        clear(counters.body).append(list.length ? table([{ key: 'service' }, ...COUNTERS.map((c) => ({
          key: c, label: c.replace('memtrace.', ''), num: true,
          render: (r) => h('span', { class: (c.endsWith('dropped') || c.endsWith('failures')) && r[c] > 0 ? 'error-text' : null }, num(r[c] ?? null)),
        }))], list) : empty('No memtrace metrics received yet (agents send them on /v1/metrics every minute, or at OTEL_METRIC_EXPORT_INTERVAL).'));
        const s = await status(controller.signal);
        ingest.showSql('-- not SQL: these are the collector\'s own counters, GET /api/status');
        if (s.spans_received == null) {
          // a query tier (serve --clickhouse) receives no spans: the gateway does
          clear(ingest.body).append(h('p', { class: 'query-tier' }, 'This collector is a query tier: it receives no spans (the OpenTelemetry Collector gateway writes them) and reads ',
            h('code', null, s.data || '?'), ', pid ', String(s.pid), '.'));
          return;
        }
        clear(ingest.body).append(h('div', { class: 'stats' },
          stat(num(s.spans_received), 'spans received'),
          stat(num(s.metric_points_received), 'metric points received'),
          stat(num(s.requests), 'OTLP requests'),
          stat(num(s.requests_rejected), 'requests refused', s.requests_rejected ? 'bad' : null),
          stat(num(s.store_failures), 'store failures', s.store_failures ? 'bad' : null),
          stat(num(s.duplicates_skipped), 'duplicate spans skipped'),
          stat(ms(s.ack_latency_ms && s.ack_latency_ms.p50), 'ack latency p50'),
          stat(ms(s.ack_latency_ms && s.ack_latency_ms.p99), 'ack latency p99'),
          stat(num(s.text_repaired), 'texts repaired'),
          stat(num(s.rows_set_aside), 'rows set aside', s.rows_set_aside ? 'bad' : null),
          stat(num(s.connections_refused), 'connections refused'),
          stat(num(s.queries_running), 'queries running')),
        s.forward ? h('div', { class: 'stats' },
          stat(num(s.forward.sent), 'forwarded to ' + s.forward.upstream),
          stat(num(s.forward.queued), 'waiting to forward'),
          stat(num(s.forward.dropped_queue_full + s.forward.dropped_failed), 'forward drops', s.forward.dropped_queue_full + s.forward.dropped_failed ? 'bad' : null)) : '',
        h('p', { class: 'muted' }, 'Data directory ', h('code', null, s.data), ', pid ', String(s.pid), '.'));
      } catch (e) {
        counters.fail(e);
      }
    }
    return loading(controller, load);
  },
};
