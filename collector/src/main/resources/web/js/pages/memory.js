// Memory: namespace sizes and key counts over time from the keyspace watcher's samples (the
// keyspace table) when there are any, else what spans tell (the report's namespace growth);
// growth rates; and the memory-state gauges against their alert thresholds.
import { h, clear, num, bytes, time } from '../dom.js';
import { RANGES, report } from '../api.js';
import { panel, table, empty, field, select, loading } from '../ui.js';
import { lineChart } from '../charts.js';
import { layerOf } from './keys.js';

/** The memory-state gauges and their alert thresholds; MB is 10^6 bytes, as in the Prometheus alert rules. */
const GAUGES = [
  { name: 'memory.session.size', layer: 'session', what: 'bytes', threshold: 10e6, label: '10 MB', format: bytes },
  { name: 'memory.cache.size', layer: 'cache', what: 'bytes', threshold: 100e6, label: '100 MB', format: bytes },
  { name: 'memory.deep.count', layer: 'deep', what: 'records', threshold: 10000, label: '10,000', format: num },
];
const SHOWN = 8;

function gauge(g, value, source) {
  const share = value == null ? 0 : value / g.threshold;
  const state = value == null ? 'none' : share >= 1 ? 'alert' : share >= 0.8 ? 'warn' : 'ok';
  return h('div', { class: 'gauge ' + state, dataset: { gauge: g.name } },
    h('div', { class: 'gauge-name' }, g.name),
    h('div', { class: 'gauge-value' }, value == null ? 'no data' : g.format(value)),
    h('div', { class: 'gauge-track' }, h('div', { class: 'gauge-fill', style: { width: Math.min(100, share * 100).toFixed(1) + '%' } })),
    h('div', { class: 'gauge-caption' }, `alert above ${g.label} (${g.layer} layer ${g.what})`, value == null ? '' : ` · ${(share * 100).toFixed(share < 0.01 ? 3 : 1)}%`),
    h('div', { class: 'gauge-source muted' }, source));
}

/** The namespaces charted, largest last sample of bytes first: the same order, so the same colours, in both charts. */
function largest(rows) {
  const last = new Map();
  for (const r of rows) last.set(r.namespace, r.bytes || 0);
  return [...last.entries()].sort((a, b) => b[1] - a[1]).slice(0, SHOWN).map(([ns]) => ns);
}

function chartPanel(title, rows, key, format) {
  const p = panel(title);
  const names = largest(rows);
  const times = [...new Set(rows.map((r) => r.t))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series = names.map((ns) => ({ label: ns === '' ? '(none)' : ns, values: new Array(times.length).fill(null) }));
  for (const r of rows) {
    const s = names.indexOf(r.namespace);
    if (s >= 0) series[s].values[index.get(r.t)] = r[key];
  }
  p.body.append(lineChart(times.map((t) => t / 1e6), series, { format }));
  return p;
}

export default {
  title: 'Memory',
  render(root, route) {
    const range = route.params.get('range') || '';
    const controls = h('form', { class: 'toolbar' }, field('Time range', select('range', RANGES, range)), h('button', { type: 'submit' }, 'Apply'));
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      location.hash = '#/memory' + (new FormData(controls).get('range') ? '?range=' + new FormData(controls).get('range') : '');
    });
    const gauges = panel('Memory-state gauges against their alert thresholds', { class: 'gauges-panel' });
    const body = h('div', { class: 'memory-body' }, h('div', { class: 'loading' }, 'Loading…'));
    root.append(h('h1', null, 'Memory'), controls, gauges.el, body);
    const controller = new AbortController();

    async function fromKeyspace() {
      const bytesPanel = panel('Bytes per namespace');
      const rows = await bytesPanel.ask('keyspace_series', { range }, controller.signal);
      const growth = panel('Growth per namespace');
      const rates = await growth.ask('keyspace_growth', { range }, controller.signal);
      const b = chartPanel('Bytes per namespace (keyspace samples)', rows, 'bytes', bytes);
      const k = chartPanel('Keys per namespace (keyspace samples)', rows, 'keys', num);
      for (const s of rows.result.sql) {
        b.showSql(s, true);
        k.showSql(s, true);
      }
      growth.setNote('From the first to the last sample of the range, per hour. ~ marks an estimate from a sampled pass (a database above the watcher\'s bound), ± its bound (four standard errors). A change within the two samples\' bounds may be sampling alone, so it shows no rate: "within bounds".');
      growth.body.append(table([
        { key: 'namespace', render: (r) => (r.namespace === '' ? '(none)' : r.namespace) },
        { key: 'bytes', num: true, render: (r) => (r.estimated && r.bytes != null ? '~' : '') + bytes(r.bytes) + (r.bytes_error ? ` ± ${bytes(Math.ceil(r.bytes_error))}` : '') },
        { key: 'keys', num: true, render: (r) => (r.estimated ? '~' : '') + num(r.keys) + (r.keys_error ? ` ± ${num(Math.ceil(r.keys_error))}` : '') },
        { key: 'keys_without_ttl', label: 'no TTL', num: true, render: (r) => (r.estimated && r.keys_without_ttl != null ? '~' : '') + num(r.keys_without_ttl) },
        { key: 'bytes_per_hour', label: 'bytes / hour', num: true, render: (r) => (r.bytes_per_hour == null ? '–' : r.bytes_within_bounds ? 'within bounds' : (r.bytes_per_hour >= 0 ? '+' : '−') + bytes(Math.abs(r.bytes_per_hour))) },
        { key: 'keys_per_hour', label: 'keys / hour', num: true, render: (r) => (r.keys_per_hour == null ? '–' : r.keys_within_bounds ? 'within bounds' : (r.keys_per_hour >= 0 ? '+' : '') + num(Math.round(r.keys_per_hour))) }], rates));
      return [h('div', { class: 'two' }, b.el, k.el), growth.el];
    }

    async function fromSpans() {
      const seen = panel('Keys per namespace over time, from spans');
      const layer = await layerOf(seen, controller.signal);
      const rows = await seen.ask('first_seen', { layer, range }, controller.signal);
      seen.setNote('The keyspace table is empty (serve --watch-redis URL records namespace sizes and key counts; on a fleet, watch --redis URL --clickhouse URL), so this counts the keys spans have touched, by when each was first seen: deletes and expiries are not in spans.');
      const times = [...new Set(rows.map((r) => r.t))].sort((a, b) => a - b);
      const totals = new Map();
      for (const r of rows) totals.set(r.namespace, (totals.get(r.namespace) || 0) + r.keys);
      const names = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, SHOWN).map(([n]) => n);
      const series = names.map((ns) => {
        let sum = 0;
        const at = new Map(rows.filter((r) => r.namespace === ns).map((r) => [r.t, r.keys]));
        return { label: ns === '' ? '(none)' : ns, values: times.map((t) => (sum += at.get(t) || 0)) };
      });
      seen.body.append(rows.length ? lineChart(times.map((t) => t / 1e6), series, { format: num, stepped: true }) : empty('No key operations in this range.'));
      const rep = await report({ since: range, layer }, controller.signal);
      const s = rep.sections.namespace_growth;
      const p = panel('Namespace growth (the report\'s)');
      p.showSql(rep.sql.find((q) => q.includes('first_write')) || rep.sql.join(';\n\n'));
      p.setNote(s.note || '');
      if (!s.rows.length) {
        p.body.append(empty('No keys written in this range.'));
        return [seen.el, p.el];
      }
      p.body.append(table([
        { key: 'namespace', render: (r) => (r.namespace === '' ? '(none)' : r.namespace) },
        { key: 'new_keys_per_window', label: 'new keys per window', render: (r) => r.new_keys_per_window.join(' · ') },
        { key: 'last_window', num: true }, { key: 'earlier_average', num: true },
        { key: 'bytes_written', num: true, render: (r) => bytes(r.bytes_written) },
        { key: 'rapid_growth', render: (r) => (r.rapid_growth ? h('span', { class: 'badge error' }, 'rapid growth') : '') }], s.rows));
      return [seen.el, p.el];
    }

    async function load() {
      try {
        const [count] = await gauges.ask('samples', {}, controller.signal);
        const watched = count.n > 0;
        const g = await gauges.ask('gauges', {}, controller.signal);
        const byLayer = new Map(g.map((r) => [r.layer, r]));
        const sampledPass = g.some((r) => r.estimated);
        gauges.setNote(watched ? 'The latest keyspace sample of each Redis, by the watcher\'s layer mapping.' : 'Estimated from spans (no keyspace samples): per memory.layer, the records whose last operation carried a value, and their sizes.');
        clear(gauges.body).append(h('div', { class: 'gauges' }, GAUGES.map((x) => {
          const r = byLayer.get(x.layer);
          const value = r == null ? null : x.what === 'bytes' ? r.bytes : r.records;
          return gauge(x, value, watched ? (r && r.sampled_at ? (r.estimated ? 'estimated from a sample, ' : 'sampled ') + r.sampled_at + ' UTC' : sampledPass ? 'no key of this layer in the latest sample: a sampled pass can miss a layer of few keys' : 'no key of this layer in the latest pass') : 'from spans');
        })));
        clear(body).append(...(watched ? await fromKeyspace() : await fromSpans()));
      } catch (e) {
        gauges.fail(e);
      }
    }
    return loading(controller, load);
  },
};
