// Traces: a search (service, span name, key or key glob, namespace, minimum span duration, errors,
// time range) and the matching traces, newest first, with duration bars, a page at a time.
import { h, clear, link, ms, num, time, ago } from '../dom.js';
import { lit, isGlob, since, RANGES, query, objects } from '../api.js';
import { panel, field, select, empty } from '../ui.js';

const PAGE = 25;
/**
 * The first window, in microseconds; each next one is ten times wider. A tenth of a second holds
 * a page of traces on a busy store, and grouping fewer spans makes that first look cheaper.
 */
const FIRST_WINDOW_US = 1e5;

/** The search's conditions on spans, time range included. */
function conditions(p) {
  const where = [];
  if (p.get('service')) where.push('service_name = ' + lit(p.get('service')));
  if (p.get('name')) where.push('name = ' + lit(p.get('name')));
  const key = p.get('key');
  if (key) where.push('memory_key ' + (isGlob(key) ? 'GLOB ' : '= ') + lit(key));
  if (p.get('ns')) where.push('memory_namespace = ' + lit(p.get('ns')));
  if (Number(p.get('min')) > 0) where.push('duration_ms >= ' + Number(p.get('min')));
  if (p.get('errors')) where.push("status_code = 'ERROR'");
  return where;
}

/** The time bounds of the search: its range, and for an older page the start of the page before. */
function bounds(p) {
  return since('start_time', p.get('range')) + (p.get('before') ? ' AND start_time < make_timestamp(' + BigInt(p.get('before')) + ')' : '');
}

/** The newest and oldest span start in the time bounds: read from the store's per-block statistics, not a scan. */
export function extentSql(p) {
  return `SELECT epoch_us(max(start_time)) AS newest, epoch_us(min(start_time)) AS oldest FROM spans WHERE true${bounds(p)}`;
}

/**
 * One page of traces among the spans that started in [lo, newest]: the pages look back from the
 * newest span in widening windows, so a store of millions of spans is read only as far back as
 * a page needs (blocks outside the window are skipped by their time statistics). `first_us` is
 * the earliest span of each trace in the window, where its summary starts looking.
 */
export function pageSql(p, lo, newest) {
  const where = [...conditions(p), `start_time <= make_timestamp(${newest})`];
  if (lo != null) where.push(`start_time >= make_timestamp(${lo})`);
  return groupSql(where.join(' AND ') + bounds(p));
}

/**
 * The first window, as one statement: the newest span's time is a subquery that DuckDB answers
 * first and hands to the scan as a bound, so a busy store needs no separate extent query.
 */
export function firstPageSql(p) {
  const newest = `(SELECT max(start_time) FROM spans WHERE true${bounds(p)})`;
  return groupSql([...conditions(p), `start_time >= ${newest} - INTERVAL ${FIRST_WINDOW_US} MICROSECOND`].join(' AND ') + bounds(p));
}

function groupSql(where) {
  return `SELECT trace_id, epoch_us(max(start_time)) AS latest_us, epoch_us(min(start_time)) AS first_us FROM spans
WHERE ${where}
GROUP BY trace_id ORDER BY latest_us DESC, trace_id LIMIT ${PAGE + 1}`;
}

/**
 * How long before its root span a span of the same trace may start: none in one process, where
 * a child's context comes from its parent, so this only allows for the clocks of two hosts.
 */
const SKEW_US = 10e6;

/**
 * The summary of the traces of a page: all their spans, found by trace id. Trace ids are random,
 * so a lookup by id alone reads the whole store; with `fromUs`, only spans that started since
 * then are read (the blocks before are skipped). `whole` says the trace's root span started at
 * least SKEW after that bound, so no span of it can be older; a trace that is not whole is
 * summed again without the bound.
 */
export function summarySql(ids, fromUs) {
  const from = fromUs == null ? '' : `\n  AND start_time >= make_timestamp(${fromUs})`;
  const whole = fromUs == null ? 'true'
    : `coalesce(min(start_time) FILTER (WHERE parent_span_id IS NULL) >= make_timestamp(${fromUs + SKEW_US}), false)`;
  return `SELECT trace_id, epoch_us(min(start_time)) AS start_us,
  (epoch_us(max(end_time)) - epoch_us(min(start_time))) / 1000.0 AS duration_ms,
  coalesce(arg_min(name, start_time) FILTER (WHERE parent_span_id IS NULL), arg_min(name, start_time)) AS root,
  arg_min(service_name, start_time) AS service, count(DISTINCT service_name) AS services,
  count(*) AS spans, count(*) FILTER (WHERE memory_operation IS NOT NULL) AS memory_ops,
  count(*) FILTER (WHERE db_system_name IS NOT NULL OR db_system IS NOT NULL) AS redis_commands,
  count(*) FILTER (WHERE status_code = 'ERROR') AS errors, ${whole} AS whole
FROM spans WHERE trace_id IN (${ids.map(lit).join(', ')})${from}
GROUP BY trace_id`;
}

/**
 * The search form, usable at once; `suggest(choices)` adds the store's services, and its span
 * names and namespaces as suggestions, once they are known.
 */
function form(params) {
  const input = (name, placeholder, list) => h('input', { name, value: params.get(name) || '', placeholder, list: list || null, autocomplete: 'off' });
  const chosen = params.get('service') || '';
  const services = (list) => [['', 'All services'], ...[...new Set([chosen, ...list])].filter(Boolean).map((s) => [s, s])];
  const service = select('service', services([]), chosen);
  const names = h('datalist', { id: 'span-names' });
  const namespaces = h('datalist', { id: 'namespaces' });
  const f = h('form', { class: 'search' },
    field('Service', service),
    field('Span name', input('name', 'e.g. aqe.memory.store', 'span-names')),
    names,
    field('Key or glob', input('key', 'e.g. test-plan-* or user:42')),
    field('Namespace', input('ns', 'e.g. aqe/test-plans', 'namespaces')),
    namespaces,
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
  function suggest(choices) {
    clear(service).append(...services(choices.services).map(([v, text]) => h('option', { value: v, selected: v === chosen }, text)));
    names.append(...choices.names.map((n) => h('option', { value: n })));
    namespaces.append(...choices.namespaces.map((n) => h('option', { value: n })));
  }
  return { el: f, suggest };
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
    const search = form(params);
    const side = h('aside', { class: 'side' }, h('h2', null, 'Search'), search.el);
    const list = panel('Traces', { class: 'results' });
    root.append(h('div', { class: 'split' }, side, list.el));
    const controller = new AbortController();
    // the choices group the whole store (half a second of both cores at ten million spans): asked
    // once the user turns to the search, not on every visit of the list
    let choicesAsked = false;
    function choices() {
      if (choicesAsked) return;
      choicesAsked = true;
      query(CHOICES_SQL, controller.signal).then((result) => {
        const rows = objects(result);
        const pick = (kind) => rows.filter((r) => r.kind === kind).map((r) => r.value);
        search.suggest({ services: pick('service').sort(), names: pick('name'), namespaces: pick('namespace') });
      }).catch(() => {
        choicesAsked = false; // the form works without them; the next visit of the search asks again
      });
    }
    side.addEventListener('pointerenter', choices);
    side.addEventListener('focusin', choices);
    const state = { busy: false };

    /** The traces of the page: the first window, then (when it holds too few) wider ones. */
    async function find() {
      let page = await list.run(firstPageSql(params), controller.signal);
      if (page.length > PAGE) return page;
      const [extent] = await list.run(extentSql(params), controller.signal);
      if (extent.newest == null) return [];
      for (let width = FIRST_WINDOW_US * 10; extent.newest - width / 10 > extent.oldest; width *= 10) {
        const lo = extent.newest - width;
        page = await list.run(pageSql(params, lo > extent.oldest ? lo : null, extent.newest), controller.signal);
        if (page.length > PAGE) break;
      }
      return page;
    }

    /** The summaries of these traces by id: read from their earliest span in the window on, the rest again in full. */
    async function summaries(shown) {
      const byId = new Map();
      if (!shown.length) return byId;
      const from = Math.min(...shown.map((t) => t.first_us)) - SKEW_US;
      for (const t of await list.run(summarySql(shown.map((t) => t.trace_id), from), controller.signal)) byId.set(t.trace_id, t);
      const partial = shown.filter((t) => !(byId.get(t.trace_id) || {}).whole).map((t) => t.trace_id);
      if (partial.length) {
        for (const t of await list.run(summarySql(partial, null), controller.signal)) byId.set(t.trace_id, t);
      }
      return byId;
    }

    async function load() {
      state.busy = true;
      list.loading();
      try {
        list.resetSql();
        const page = await find();
        const shown = page.slice(0, PAGE);
        const byId = await summaries(shown);
        const traces = shown.map((t) => ({ ...byId.get(t.trace_id), latest_us: t.latest_us })).filter((t) => t.trace_id);
        const longest = Math.max(0, ...traces.map((t) => t.duration_ms || 0));
        const pager = h('div', { class: 'pager' },
          params.get('before') ? h('a', { href: link(['traces'], { ...Object.fromEntries(params), before: '' }) }, '← Newest') : null,
          page.length > PAGE ? h('a', { href: link(['traces'], { ...Object.fromEntries(params), before: shown[shown.length - 1].latest_us }) }, 'Older →') : null);
        list.setNote(traces.length ? `${traces.length} trace${traces.length > 1 ? 's' : ''}, newest first` + (params.get('before') ? ' (older page)' : '') : '');
        clear(list.body).append(traces.length ? h('div', { class: 'trace-list' }, traces.map((t) => row(t, longest))) : empty('No trace matches this search.'), pager);
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
