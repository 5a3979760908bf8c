// One trace: the waterfall, the details of the span clicked (attributes, events, and for a read the
// write it saw, from the store's lineage), and the namespace sizes at the time of the trace. Each
// part is a question to the store (/api/view): the trace's spans with only what the waterfall draws
// (a trace can have 10,000 spans), then, once it is painted, its services and namespaces, and the
// span clicked; the start times known from the waterfall bound each later lookup to the trace's blocks.
import { h, clear, link, ms, num, time, bytes, visible, localTimes } from '../dom.js';
import { panel, table, cell, empty, afterPaint } from '../ui.js';
import { Waterfall, hiddenCount, kind } from '../waterfall.js';
import { contexts, contextPanel, flag } from './context.js';

/** Attributes as a two-column table, keys sorted. */
function attributes(map) {
  const entries = Object.entries(map || {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.length) return empty('none');
  return h('table', { class: 'kv' }, h('tbody', null, entries.map(([k, v]) =>
    // line breaks and tabs stay as they are (stack traces); every other hidden character is marked
    h('tr', null, h('th', null, k), h('td', null, typeof v === 'string' ? h('span', { class: 'pre' }, visible(v, true))
      : typeof v === 'number' ? String(v) : cell(v))))));
}

/** One argument for a POSIX shell: single-quoted unless it is plainly safe, so a pasted command runs nothing else. */
export function shellArg(text) {
  const s = String(text);
  return /^[A-Za-z0-9_.,:\/*=@%+-]+$/.test(s) && !s.startsWith('-') ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

/**
 * The `restore --as-of` command that rebuilds the namespaces this trace touched, as they stood when it began, into a
 * scratch Redis; null for an id that is not a trace id (a hand-made URL).
 */
export function travelCommand(traceId, namespaces) {
  if (!/^[0-9a-f]{32}$/.test(traceId)) return null;
  const globs = namespaces.filter((n) => n !== '').sort();
  return ['java -jar memtrace-collector.jar restore --as-of', traceId, '--namespace', shellArg(globs.length ? globs.join(',') : '*'),
    '--into redis://127.0.0.1:6380'].join(' ');
}

function parse(json) {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch (e) {
    return json;
  }
}

export default {
  title: 'Trace',
  render(root, route) {
    const traceId = route.args[0] || '';
    const head = h('div', { class: 'trace-head' }, h('div', { class: 'loading' }, 'Loading…'));
    const wf = panel('Waterfall', { class: 'waterfall-panel' });
    const detail = panel('Span', { class: 'detail' });
    const sizes = panel('Namespace sizes at the time of this trace', { class: 'sizes' });
    const travel = panel('Memory as it was when this trace began', { class: 'travel' });
    travel.el.querySelector('details.sql').remove(); // it asks the store nothing: no statement to show
    detail.body.append(empty('Click a span to see its attributes and events.'));
    root.append(h('div', { class: 'crumbs' }, h('a', { href: '#/traces' }, 'Traces'), ' / ', h('span', { class: 'mono' }, traceId)),
      head, h('div', { class: 'trace-layout' }, wf.el, detail.el), sizes.el, travel.el);
    const controller = new AbortController();
    let spans = [];
    // the model calls' memory (/api/provenance), asked once the waterfall is painted
    let context = null;
    // each showSpan's turn: the span is shown again once the model calls' memory comes, and a slower earlier showing
    // (its lineage asked without that memory) must not paint over the later one
    let showing = 0;

    async function showSpan(s) {
      const turn = ++showing;
      const params = new URLSearchParams(route.params);
      params.set('span', s.span_id);
      history.replaceState(null, '', '#/trace/' + encodeURIComponent(traceId) + '?' + params);
      detail.resetSql();
      clear(detail.body).append(h('div', { class: 'loading' }, 'Loading…'));
      try {
        const [row] = await detail.ask('span', { trace: traceId, span: s.span_id, start: s.start_us }, controller.signal);
        const events = parse(row.events) || [];
        const t0 = spans.length ? Math.min(...spans.map((x) => x.start_us)) : s.start_us;
        const parts = [
          h('h3', { class: 'detail-name' }, h('span', { class: 'wf-kind kind-' + kind(s) }), s.name),
          h('dl', { class: 'facts' },
            h('dt', null, 'Service'), h('dd', null, row.service_name),
            h('dt', null, 'Duration'), h('dd', null, ms(s.duration_ms)),
            h('dt', null, 'Start'), h('dd', null, '+' + ms((s.start_us - t0) / 1000) + ' · ' + time(s.start_us)),
            h('dt', null, 'Status'), h('dd', { class: row.status_code === 'ERROR' ? 'error-text' : null }, row.status_code || 'UNSET', row.status_message ? ': ' : '', row.status_message || ''),
            h('dt', null, 'Span id'), h('dd', { class: 'mono' }, s.span_id),
            s.memory_key != null ? [h('dt', null, 'Key'), h('dd', null, h('a', { href: link(['key', s.memory_key]) }, s.memory_key))] : null,
            s.key_unknown ? [h('dt', null, 'Key'), h('dd', { class: 'muted' }, 'unknown: the statement hid it (memtrace.unknown)')] : null),
        ];
        const call = context && context.calls.get(s.span_id);
        if (call) parts.push(h('h4', null, 'Context from memory'), contextPanel(call, traceId, context.tenantRule));
        parts.push(h('h4', null, 'Attributes'), attributes(parse(row.attributes)));
        parts.push(h('h4', null, `Events (${events.length})`), events.length ? h('ol', { class: 'events' }, events.map((e) => h('li', null,
          h('div', { class: 'event-head' }, h('span', { class: 'event-name' }, e.name), e.time_unix_nano ? h('span', { class: 'muted' }, ' +' + ms((Number(e.time_unix_nano) / 1000 - t0) / 1000)) : null),
          attributes(e.attributes)))) : empty('none'));
        parts.push(h('h4', null, 'Lineage: the write this read saw'));
        {
          const seen = await detail.ask('read_lineage', { trace: traceId, span: s.span_id, start: s.start_us }, controller.signal);
          parts.push(seen.length ? h('div', { class: 'lineage' }, seen.map((w) => h('div', { class: 'lineage-row' },
            w.write_trace_id ? h('a', { href: link(['trace', w.write_trace_id], { span: w.write_span_id }) }, `${w.write_access || 'write'} by ${w.write_name} (${w.write_service})`) : h('span', null, w.writer === 'compressed' ? 'the write was compressed by retention' : 'the write is not in the store'),
            w.write_us ? h('span', { class: 'muted' }, ' at ' + time(w.write_us)) : null,
            w.value_age_ms != null ? h('span', { class: 'badge' }, 'value age ' + ms(w.value_age_ms)) : null,
            w.cause ? h('div', { class: 'lineage-cause' }, (w.found === false ? 'found nothing: ' : 'saw the change: ') + localTimes(w.cause)) : null))) : empty('Not a read of a key, or no write before it.'));
        }
        if (turn === showing) clear(detail.body).append(...parts);
      } catch (e) {
        if (turn === showing) detail.fail(e);
      }
    }

    async function sizesAt(startUs, endUs, touched) {
      try {
        const rows = await sizes.ask('keyspace_near', { from: Math.floor(startUs), to: Math.ceil(endUs) }, controller.signal);
        if (!rows.length) {
          clear(sizes.body).append(empty('The keyspace table has no samples from the time of this trace: namespace sizes are recorded while serve watches Redis (serve --watch-redis URL), or on a fleet by watch --redis URL --clickhouse URL.'));
          return;
        }
        rows.sort((a, b) => (touched.has(b.namespace) - touched.has(a.namespace)));
        clear(sizes.body).append(table([
          { key: 'namespace', render: (r) => h('span', { class: touched.has(r.namespace) ? 'touched' : null }, r.namespace === '' ? '(none)' : r.namespace) },
          { key: 'redis' }, { key: 'db', num: true },
          { key: 'keys', num: true, render: (r) => (r.estimated ? '~' : '') + num(r.keys) + (r.keys_error ? ` ± ${num(r.keys_error)}` : '') },
          { key: 'bytes', num: true, render: (r) => (r.estimated && r.bytes != null ? '~' : '') + bytes(r.bytes) + (r.bytes_error ? ` ± ${bytes(r.bytes_error)}` : '') },
          { key: 'keys_without_ttl', label: 'no TTL', num: true, render: (r) => (r.estimated && r.keys_without_ttl != null ? '~' : '') + num(r.keys_without_ttl) },
          { key: 'sampled_us', label: 'sampled', render: (r) => time(r.sampled_us) }], rows));
      } catch (e) {
        sizes.fail(e);
      }
    }

    (async () => {
      try {
        spans = await wf.ask('trace', { trace: traceId }, controller.signal);
        if (!spans.length) {
          clear(head);
          clear(wf.body).append(empty('No span of this trace is in the store.'));
          return;
        }
        const start = Math.min(...spans.map((s) => s.start_us));
        const end = Math.max(...spans.map((s) => s.start_us + (s.duration_ms || 0) * 1000));
        const roots = spans.filter((s) => !s.parent_span_id);
        const rootName = (roots[0] || spans[0]).name;
        const errors = spans.filter((s) => s.error != null).length;
        const count = (k) => spans.filter((s) => kind(s) === k).length;
        const compressedTotal = spans.reduce((n, s) => n + hiddenCount(s), 0);
        const services = h('span');
        clear(head).append(h('h1', null, rootName), h('div', { class: 'facts-row' },
          h('span', null, h('b', null, ms((end - start) / 1000)), ' duration'),
          h('span', null, h('b', null, num(spans.length)), ' spans'),
          h('span', { class: 'kind-memory' }, h('b', null, num(count('memory'))), ' memory ops'),
          h('span', { class: 'kind-redis' }, h('b', null, num(count('redis'))), ' Redis commands'),
          compressedTotal ? h('span', null, h('b', null, num(compressedTotal)), ' compressed') : null,
          errors ? h('span', { class: 'error-text' }, h('b', null, num(errors)), ' errors') : null,
          services,
          h('span', { class: 'muted' }, time(start))));
        const waterfall = new Waterfall(spans, showSpan);
        clear(wf.body).append(waterfall.el);
        const wanted = route.params.get('span');
        if (wanted && spans.some((s) => s.span_id === wanted)) {
          waterfall.reveal(wanted);
          waterfall.select(wanted);
        }
        if (spans.some((s) => s.kind === 'model')) {
          afterPaint(async () => {
            try {
              context = await contexts(traceId, start, Math.max(...spans.map((s) => s.start_us)), controller.signal);
              for (const s of spans) if (context.calls.has(s.span_id)) s.memory_flag = flag(context.calls.get(s.span_id));
              waterfall.drawn = null;
              waterfall.draw();
              const selected = spans.find((s) => s.span_id === waterfall.selected);
              if (selected && context.calls.has(selected.span_id)) showSpan(selected);
            } catch (e) {
              if (e.name !== 'AbortError') context = null;
            }
          });
        }
        // the services, the namespaces and their sizes are further queries: asked once the waterfall has been painted
        afterPaint(async () => {
          try {
            const facts = await wf.ask('trace_facts', { trace: traceId, from: start, to: Math.max(...spans.map((s) => s.start_us)) }, controller.signal);
            services.append(facts.filter((f) => f.kind === 'service').map((f) => f.value).join(', '));
            const command = travelCommand(traceId, facts.filter((f) => f.kind === 'namespace').map((f) => f.value));
            clear(travel.body).append(...(command ? [h('p', null, 'Rebuild the namespaces this trace touched, as they stood '
              + 'when it began, into a scratch Redis (from the nearest snapshot and the captured writes; it says first '
              + 'what it cannot rebuild). Add --data DIR or --clickhouse URL where the store is not the default.'),
            h('pre', { class: 'mono travel-command' }, command)] : [empty('Not a trace id.')]));
            await sizesAt(start, end, new Set(facts.filter((f) => f.kind === 'namespace').map((f) => f.value)));
          } catch (e) {
            sizes.fail(e);
          }
        });
      } catch (e) {
        wf.fail(e);
      }
    })();
    return { title: 'Trace ' + traceId.slice(0, 8), dispose: () => controller.abort() };
  },
};
