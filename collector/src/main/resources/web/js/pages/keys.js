// Keys: hot keys, keys written and never read, read once, stored with no TTL (the report's own
// sections, from /api/report, so the numbers are the CLI's), a heat map of operations per
// namespace over time, and a box to open one key's history.
import { h, clear, link, num, bytes, time } from '../dom.js';
import { report, RANGES } from '../api.js';
import { panel, table, empty, field, select, loading } from '../ui.js';
import { heatmap } from '../charts.js';

const COLUMNS = 60;
const NAMESPACES = 15;

function keyLink(k) {
  return h('a', { href: link(['key', k]) }, k);
}

function keyPanel(section, columns) {
  const p = panel(section.title, { class: 'keys-list' });
  const counts = section.by_namespace ? Object.entries(section.by_namespace) : [];
  p.setNote([section.keys != null ? `${num(section.keys)} keys` : null, section.note,
    counts.length ? 'By namespace: ' + counts.map(([ns, n]) => `${ns === '' ? '(none)' : ns} ${num(n)}`).join(' · ') : null].filter(Boolean).join('. '));
  p.body.append(section.rows.length ? table(columns, section.rows) : empty('none'));
  return p;
}

export async function layerOf(p, signal) {
  const [row] = await p.ask('layer', {}, signal);
  return row.n > 0 ? 'memory' : 'redis';
}

export default {
  title: 'Keys',
  render(root, route) {
    const params = route.params;
    const range = params.get('range') || '';
    const keyBox = h('input', { name: 'key', placeholder: 'a key, e.g. test-plan-user-service', autocomplete: 'off' });
    const controls = h('form', { class: 'toolbar' },
      field('Layer', select('layer', [['', 'Automatic'], ['memory', 'Memory operations'], ['redis', 'Redis commands']], params.get('layer'))),
      field('Time range', select('range', RANGES, range)),
      h('button', { type: 'submit' }, 'Apply'),
      h('span', { class: 'grow' }),
      h('span', { class: 'key-open' }, keyBox, h('button', { type: 'button', class: 'secondary', onclick: () => {
        if (keyBox.value.trim()) location.hash = link(['key', keyBox.value.trim()]);
      } }, 'Key history')));
    keyBox.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && keyBox.value.trim()) {
        e.preventDefault();
        location.hash = link(['key', keyBox.value.trim()]);
      }
    });
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      const d = new FormData(controls);
      location.hash = link(['keys'], { layer: d.get('layer'), range: d.get('range') });
    });
    const heat = panel('Operations per namespace over time', { class: 'heat' });
    const lists = h('div', { class: 'key-grid' }, h('div', { class: 'loading' }, 'Loading the report…'));
    root.append(h('h1', null, 'Keys'), controls, heat.el, lists);
    const controller = new AbortController();
    let layer = params.get('layer');

    async function load() {
      try {
        if (!layer) layer = await layerOf(heat, controller.signal);
        const [rows, rep] = await Promise.all([
          heat.ask('heat', { layer, range }, controller.signal),
          report({ layer, since: range }, controller.signal)]);
        heat.setNote(layer === 'memory' ? 'Memory-manager operations on keys, per namespace (the busiest ' + NAMESPACES + ').' : 'Redis commands on keys, per namespace (the busiest ' + NAMESPACES + ').');
        clear(heat.body).append(rows.length ? heatmap(rows, COLUMNS, (r, bucket, t0, t1) => {
          const w = (t1 - t0) / COLUMNS;
          return `${r === '' ? '(none)' : r}\n${time(t0 + bucket * w)} – ${time(t0 + (bucket + 1) * w).slice(11)}`;
        }) : empty('No key operations in this range.'));
        const s = rep.sections;
        const sql = rep.sql.filter((q) => q.includes('picked AS MATERIALIZED'));
        const panels = [
          keyPanel(s.hot_keys, [{ key: 'key', render: (r) => keyLink(r.key) }, { key: 'namespace' }, { key: 'accesses', num: true }, { key: 'reads', num: true }, { key: 'writes', num: true }]),
          ...['written_never_read', 'read_once', 'no_ttl'].map((id) => keyPanel(s[id], [
            { key: 'key', render: (r) => keyLink(r.key) }, { key: 'namespace' }, { key: 'reads', num: true }, { key: 'writes', num: true },
            { key: 'size_bytes', label: 'size', num: true, render: (r) => bytes(r.size_bytes) }]))];
        for (const p of panels) p.showSql(sql[0] || rep.sql.join(';\n\n'));
        clear(lists).append(...panels.map((p) => p.el));
      } catch (e) {
        heat.fail(e);
      }
    }
    return loading(controller, load);
  },
};
