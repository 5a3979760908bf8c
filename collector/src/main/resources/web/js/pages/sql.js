// SQL: a read-only query box over /api/query, the same guarded endpoint as the CLI's `query`.
// The query is part of the URL, so a link shares it; it runs when Run is pressed.
import { h, clear, link, num } from '../dom.js';
import { query } from '../api.js';
import { resultTable } from '../ui.js';

// only the documented columns of spans, so the example runs on either store (DuckDB or ClickHouse)
const EXAMPLE = `SELECT attributes['memory.key'] AS key, attributes['memory.namespace'] AS namespace, round(duration_ms, 3) AS duration_ms
FROM spans WHERE name LIKE '%memory.%'
ORDER BY duration_ms DESC LIMIT 10`;

export default {
  title: 'SQL',
  render(root, route) {
    const box = h('textarea', { class: 'sql-box', spellcheck: false, rows: 8, value: route.params.get('q') || EXAMPLE });
    const out = h('div', { class: 'sql-result' });
    const status = h('span', { class: 'muted' });
    let controller = null;
    async function run() {
      if (controller) controller.abort();
      controller = new AbortController();
      history.replaceState(null, '', link(['sql'], { q: box.value }));
      status.textContent = 'Running…';
      const started = performance.now();
      try {
        const result = await query(box.value, controller.signal);
        status.textContent = `${num(result.rows.length)} rows in ${Math.round(performance.now() - started)} ms` + (result.truncated ? ` (cut: ${result.truncation})` : '');
        clear(out).append(resultTable(result));
      } catch (e) {
        if (e.name === 'AbortError') return;
        status.textContent = '';
        clear(out).append(h('div', { class: 'error-box' }, e.message));
      }
    }
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });
    root.append(h('h1', null, 'SQL'),
      h('p', { class: 'muted' }, 'Read-only SQL in the store\'s own dialect, as ', h('code', null, 'query'), ' runs it: on the embedded store, DuckDB SQL on the tables spans, metrics and keyspace, checked by DuckDB\'s parser, in a read-only transaction, on what is loaded now, like ', h('code', null, 'query --no-wait-loaded'), '; behind ', h('code', null, 'serve --clickhouse'), ', ClickHouse SQL on the spans view, run read-only by ClickHouse itself; with the server\'s time and size limits either way.'),
      box, h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: run }, 'Run'), h('span', { class: 'muted' }, 'Ctrl+Enter'), status), out);
    return { dispose: () => controller && controller.abort() };
  },
};
