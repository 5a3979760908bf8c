// Which traces a page of the traces list shows, and their summaries: the SQL, and the order it
// runs in. Each statement runs through the panel's `run`, so the panel's SQL shows what ran.
import { lit, isGlob, since } from '../api.js';

/** Traces a page shows. */
export const PAGE = 25;
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

/** The newest and oldest span start in the time bounds: one pass over start_time, the cheapest column. */
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

/** The store's services, and its most used span names and namespaces, for the search form. */
export const CHOICES_SQL = `SELECT 'service' AS kind, service_name AS value FROM (SELECT DISTINCT service_name FROM spans WHERE service_name IS NOT NULL)
UNION ALL SELECT 'name', name FROM (SELECT name, count(*) AS n FROM spans GROUP BY name ORDER BY n DESC LIMIT 200)
UNION ALL SELECT 'namespace', memory_namespace FROM (SELECT memory_namespace, count(*) AS n FROM spans WHERE memory_namespace IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 200)`;

/**
 * The traces of a page (one more than it shows, if there are more): the first window, then
 * (when it holds too few) wider ones. `run(sql)` runs a statement and returns its rows.
 */
export async function find(params, run) {
  let page = await run(firstPageSql(params));
  if (page.length > PAGE) return page;
  const [extent] = await run(extentSql(params));
  if (extent.newest == null) return [];
  for (let width = FIRST_WINDOW_US * 10; extent.newest - width / 10 > extent.oldest; width *= 10) {
    const lo = extent.newest - width;
    page = await run(pageSql(params, lo > extent.oldest ? lo : null, extent.newest));
    if (page.length > PAGE) break;
  }
  return page;
}

/** The summaries of these traces by id: read from their earliest span in the window on, the rest again in full. */
export async function summaries(shown, run) {
  const byId = new Map();
  if (!shown.length) return byId;
  const from = Math.min(...shown.map((t) => t.first_us)) - SKEW_US;
  for (const t of await run(summarySql(shown.map((t) => t.trace_id), from))) byId.set(t.trace_id, t);
  const partial = shown.filter((t) => !(byId.get(t.trace_id) || {}).whole).map((t) => t.trace_id);
  if (partial.length) {
    for (const t of await run(summarySql(partial, null))) byId.set(t.trace_id, t);
  }
  return byId;
}
