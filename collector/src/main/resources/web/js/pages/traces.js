// Traces: a search (service, span name, key or key glob, namespace, minimum span duration, errors,
// time range) and the matching traces, newest first, with duration bars, a page at a time.
import { h, clear, link, ms, num, time, ago } from '../dom.js';
import { RANGES, view, objects } from '../api.js';

/** Traces a page shows; the store answers one more when there are more. */
const PAGE = 25;
import { panel, field, select, empty, loading } from '../ui.js';

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
      view('choices', {}, controller.signal).then((result) => {
        const rows = objects(result);
        const pick = (kind) => rows.filter((r) => r.kind === kind).map((r) => r.value);
        search.suggest({ services: pick('service').sort(), names: pick('name'), namespaces: pick('namespace') });
      }).catch(() => {
        choicesAsked = false; // the form works without them; the next visit of the search asks again
      });
    }
    side.addEventListener('pointerenter', choices);
    side.addEventListener('focusin', choices);

    async function load() {
      list.loading();
      try {
        list.resetSql();
        const page = await list.ask('traces', Object.fromEntries(params), controller.signal);
        const shown = page.slice(0, PAGE);
        const traces = shown;
        const longest = Math.max(0, ...traces.map((t) => t.duration_ms || 0));
        const pager = h('div', { class: 'pager' },
          params.get('before') ? h('a', { href: link(['traces'], { ...Object.fromEntries(params), before: '' }) }, '← Newest') : null,
          page.length > PAGE ? h('a', { href: link(['traces'], { ...Object.fromEntries(params), before: shown[shown.length - 1].latest_us }) }, 'Older →') : null);
        list.setNote(traces.length ? `${traces.length} trace${traces.length > 1 ? 's' : ''}, newest first` + (params.get('before') ? ' (older page)' : '') : '');
        clear(list.body).append(traces.length ? h('div', { class: 'trace-list' }, traces.map((t) => row(t, longest))) : empty('No trace matches this search.'), pager);
      } catch (e) {
        list.fail(e);
      }
    }
    return loading(controller, load, params.get('before') ? { refresh: null } : {});
  },
};
