// Shared pieces of the pages: a panel that shows the SQL behind it, tables, and small widgets.
import { h, clear, link, num, visible } from './dom.js';
import { view, objects, ApiError } from './api.js';

/**
 * A titled panel. Its `ask(name, params)` asks the store a question (/api/view) and adds the
 * statements the store ran for it to the panel's "SQL" disclosure, so the numbers shown are the
 * numbers a user gets from that SQL, in the store's own dialect.
 */
export function panel(title, options = {}) {
  const body = h('div', { class: 'panel-body' });
  const note = h('div', { class: 'panel-note' });
  const list = h('div', { class: 'sql-list' });
  const details = h('details', { class: 'sql' }, h('summary', null, 'SQL'), list);
  const el = h('section', { class: 'panel' + (options.class ? ' ' + options.class : '') },
    h('header', { class: 'panel-head' }, h('h2', null, title), options.tools || null, h('span', { class: 'grow' }), details),
    note, body);
  const statements = [];
  const api = {
    el, body, note,
    /** Asks a question, records the statements behind it, returns the rows as objects (with `.result` the raw answer). */
    async ask(name, params, signal) {
      const result = await view(name, params, signal);
      for (const s of result.sql || []) api.showSql(s, true);
      const rows = objects(result);
      rows.result = result;
      return rows;
    },
    /** Shows a statement in the disclosure; `append` keeps the ones shown already. */
    showSql(sql, append = false) {
      if (!append) statements.length = 0;
      if (!statements.includes(sql)) statements.push(sql);
      clear(list);
      for (const s of statements) {
        list.append(h('div', { class: 'sql-item' }, h('pre', null, s),
          h('a', { href: link(['sql'], { q: s }), class: 'sql-open' }, 'Open in the SQL page')));
      }
    },
    resetSql() {
      statements.length = 0;
      clear(list);
    },
    setNote(text) {
      clear(note);
      if (text) note.append(text instanceof Node ? text : document.createTextNode(text));
    },
    fail(error) {
      if (error && error.name === 'AbortError') return;
      clear(body).append(h('div', { class: 'error-box' }, visible(error instanceof ApiError ? error.message : String(error), true)));
    },
    loading() {
      if (!body.firstChild) body.append(h('div', { class: 'loading' }, 'Loading…'));
    },
  };
  return api;
}

/**
 * A table of rows (objects). `columns`: [{key, label, render?(row) -> node|string, num?: true}].
 * Numbers are right-aligned; values are shown as text.
 */
export function table(columns, rows, options = {}) {
  const head = h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : null, title: c.title || null }, c.label ?? c.key)));
  const body = rows.map((r) => h('tr', { class: options.rowClass ? options.rowClass(r) : null },
    columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.render ? c.render(r) : cell(r[c.key])))));
  return h('table', { class: 'grid' + (options.class ? ' ' + options.class : '') }, h('thead', null, head), h('tbody', null, body));
}

/** A value of any type as text for a cell. */
export function cell(v) {
  if (v == null) return h('span', { class: 'null' }, 'NULL');
  if (typeof v === 'number') return num(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A generic result table: the columns of an /api/query answer. */
export function resultTable(result) {
  const columns = result.columns.map((c, i) => ({ key: i, label: c.name, num: /INT|DOUBLE|DECIMAL|FLOAT|REAL/.test(c.type), title: c.type }));
  return table(columns, result.rows.map((r) => Object.assign({}, r)));
}

/** A label and a control side by side, for the search forms. */
export function field(label, control) {
  return h('label', { class: 'field' }, h('span', null, label), control);
}

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
}

export function empty(text) {
  return h('div', { class: 'empty' }, text);
}

/** A small figure: a big number and its caption. */
export function stat(value, caption, cls) {
  return h('div', { class: 'stat' + (cls ? ' ' + cls : '') }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-caption' }, caption));
}

/**
 * Runs `fn` once the browser has painted what the page just built: a query started then does not
 * hold back the paint of the rows it would compete with for the CPU.
 */
export function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/**
 * What the router holds of a page that `load` fills: loaded now and again on each refresh, busy meanwhile, and its
 * requests, made with `controller`'s signal, aborted when the page is left; `more` adds to it or overrides it (a
 * title, `refresh: null` for a page that must not refresh). `load` shows its own failures.
 */
export function loading(controller, load, more = {}) {
  const state = { busy: false };
  async function run() {
    state.busy = true;
    try {
      await load();
    } finally {
      state.busy = false;
    }
  }
  run();
  return Object.assign({ get busy() { return state.busy; }, refresh: run, dispose: () => controller.abort() }, more);
}
