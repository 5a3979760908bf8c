// Traces: a search (service, span name, key or key glob, namespace, minimum span duration, errors,
// time range) and the matching traces, newest first, with duration bars, a page at a time.
import { h, clear, link, ms, num, time, ago } from '../dom.js';
import { lit, isGlob, since, RANGES, query, objects } from '../api.js';
import { panel, field, select, empty } from '../ui.js';

const PAGE = 25;
/** Matching spans read, newest first, to find a page of traces: a top-N, not a grouping of the whole store. */
const HITS = 20000;

export function tracesSql(p) {
  const where = [];
  if (p.get('service')) where.push('service_name = ' + lit(p.get('service')));
  if (p.get('name')) where.push('name = ' + lit(p.get('name')));
  const key = p.get('key');
  if (key) where.push('memory_key ' + (isGlob(key) ? 'GLOB ' : '= ') + lit(key));
  if (p.get('ns')) where.push('memory_namespace = ' + lit(p.get('ns')));
  if (Number(p.get('min')) > 0) where.push('duration_ms >= ' + Number(p.get('min')));
  if (p.get('errors')) where.push("status_code = 'ERROR'");
  if (p.get('before')) where.push('start_time < make_timestamp(' + BigInt(p.get('before')) + ')');
  const cond = (where.length ? where.join(' AND ') : 'true') + since('start_time', p.get('range'));
  return `WITH hits AS (
  SELECT trace_id, start_time FROM spans
  WHERE ${cond}
  ORDER BY start_time DESC LIMIT ${HITS}),
page AS (
  SELECT trace_id, max(start_time) AS latest FROM hits
  GROUP BY trace_id ORDER BY latest DESC, trace_id LIMIT ${PAGE + 1})
SELECT p.trace_id, epoch_us(p.latest) AS latest_us, epoch_us(min(s.start_time)) AS start_us,
  (epoch_us(max(s.end_time)) - epoch_us(min(s.start_time))) / 1000.0 AS duration_ms,
  coalesce(arg_min(s.name, s.start_time) FILTER (WHERE s.parent_span_id IS NULL), arg_min(s.name, s.start_time)) AS root,
  arg_min(s.service_name, s.start_time) AS service, count(DISTINCT s.service_name) AS services,
  count(*) AS spans, count(*) FILTER (WHERE s.memory_operation IS NOT NULL) AS memory_ops,
  count(*) FILTER (WHERE s.db_system_name IS NOT NULL OR s.db_system IS NOT NULL) AS redis_commands,
  count(*) FILTER (WHERE s.status_code = 'ERROR') AS errors
FROM page p JOIN spans s ON s.trace_id = p.trace_id
GROUP BY p.trace_id, p.latest
ORDER BY p.latest DESC, p.trace_id`;
}

function form(params, choices) {
  const input = (name, placeholder, list) => h('input', { name, value: params.get(name) || '', placeholder, list: list || null, autocomplete: 'off' });
  const f = h('form', { class: 'search' },
    field('Service', select('service', [['', 'All services'], ...choices.services.map((s) => [s, s])], params.get('service'))),
    field('Span name', input('name', 'e.g. aqe.memory.store', 'span-names')),
    h('datalist', { id: 'span-names' }, choices.names.map((n) => h('option', { value: n }))),
    field('Key or glob', input('key', 'e.g. test-plan-* or user:42')),
    field('Namespace', input('ns', 'e.g. aqe/test-plans', 'namespaces')),
    h('datalist', { id: 'namespaces' }, choices.namespaces.map((n) => h('option', { value: n }))),
    field('Min span duration (ms)', h('input', { name: 'min', type: 'number', min: 0, step: 'any', value: params.get('min') || '' })),
    field('Time range', select('range', RANGES, params.get('range'))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'errors', checked: !!params.get('errors') }), ' Errors only'),
    h('button', { type: 'submit' }, 'Find traces'));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(f);
    const next = {};
    for (const k of ['service', 'name', 'key', 'ns', 'min', 'range']) next[k] = (data.get(k) || '').trim();
    next.errors = data.get('errors') ? '1' : '';
    location.hash = link(['traces'], next);
  });
  return f;
}

const CHOICES_SQL = `SELECT 'service' AS kind, service_name AS value FROM (SELECT DISTINCT service_name FROM spans WHERE service_name IS NOT NULL)
UNION ALL SELECT 'name', name FROM (SELECT name, count(*) AS n FROM spans GROUP BY name ORDER BY n DESC LIMIT 200)
UNION ALL SELECT 'namespace', memory_namespace FROM (SELECT memory_namespace, count(*) AS n FROM spans WHERE memory_namespace IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 200)`;

function plural(n, word) {
  return `${num(n)} ${word}${n === 1 ? '' : 's'}`;
}

function row(t, longest) {
  const width = longest > 0 ? Math.max(0.5, (100 * t.duration_ms) / longest) : 0;
  return h('a', { class: 'trace-row' + (t.errors > 0 ? ' has-error' : ''), href: link(['trace', t.trace_id]), dataset: { trace: t.trace_id } },
    h('div', { class: 'trace-title' },
      h('span', { class: 'trace-root' }, t.root),
      h('span', { class: 'trace-service' }, t.service + (t.services > 1 ? ` +${t.services - 1}` : '')),
      t.errors > 0 ? h('span', { class: 'badge error' }, `${num(t.errors)} error${t.errors > 1 ? 's' : ''}`) : null),
    h('div', { class: 'trace-meta' },
      h('span', null, plural(t.spans, 'span')),
      t.memory_ops ? h('span', { class: 'kind-memory' }, plural(t.memory_ops, 'memory op')) : null,
      t.redis_commands ? h('span', { class: 'kind-redis' }, plural(t.redis_commands, 'Redis command')) : null,
      h('span', { class: 'trace-id' }, t.trace_id.slice(0, 16))),
    h('div', { class: 'trace-bar' }, h('div', { class: 'bar', style: { width: width + '%' } }), h('span', { class: 'bar-label' }, ms(t.duration_ms))),
    h('div', { class: 'trace-time', title: time(t.start_us) }, h('div', null, time(t.start_us).slice(11)), h('div', { class: 'muted' }, ago(t.start_us))));
}

export default {
  title: 'Traces',
  render(root, route) {
    const params = route.params;
    const side = h('aside', { class: 'side' }, h('h2', null, 'Search'), h('div', { class: 'loading' }, 'Loading…'));
    const list = panel('Traces', { class: 'results' });
    root.append(h('div', { class: 'split' }, side, list.el));
    const controller = new AbortController();
    query(CHOICES_SQL, controller.signal).then((result) => {
      const rows = objects(result);
      const pick = (kind) => rows.filter((r) => r.kind === kind).map((r) => r.value);
      clear(side).append(h('h2', null, 'Search'), form(params, { services: pick('service').sort(), names: pick('name'), namespaces: pick('namespace') }));
    }).catch((e) => clear(side).append(h('div', { class: 'error-box' }, String(e.message || e))));
    const state = { busy: false };
    async function load() {
      state.busy = true;
      list.loading();
      try {
        const rows = await list.run(tracesSql(params), controller.signal);
        const shown = rows.slice(0, PAGE);
        const longest = Math.max(0, ...shown.map((t) => t.duration_ms || 0));
        const pager = h('div', { class: 'pager' },
          params.get('before') ? h('a', { href: link(['traces'], { ...Object.fromEntries(params), before: '' }) }, '← Newest') : null,
          rows.length > PAGE ? h('a', { href: link(['traces'], { ...Object.fromEntries(params), before: shown[shown.length - 1].latest_us }) }, 'Older →') : null);
        list.setNote(shown.length ? `${shown.length} trace${shown.length > 1 ? 's' : ''}, newest first` + (params.get('before') ? ' (older page)' : '') : '');
        clear(list.body).append(shown.length ? h('div', { class: 'trace-list' }, shown.map((t) => row(t, longest))) : empty('No trace matches this search.'), pager);
      } catch (e) {
        list.fail(e);
      } finally {
        state.busy = false;
      }
    }
    load();
    return {
      get busy() { return state.busy; },
      refresh: params.get('before') ? null : load,
      dispose: () => controller.abort(),
    };
  },
};
