// Report: the `report` command's sections, from the same code (/api/report returns its JSON).
import { h, clear, num } from '../dom.js';
import { report, RANGES } from '../api.js';
import { panel, table, cell, empty, field, select, loading } from '../ui.js';

/** One section of the report as a panel: its note, its totals, its rows. */
export function section(id, s) {
  const p = panel(s.title, { class: 'report-section' });
  p.el.id = 'section-' + id;
  const notes = [];
  if (s.note) notes.push(s.note);
  for (const [k, v] of Object.entries(s)) {
    if (['title', 'note', 'rows'].includes(k)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const parts = Object.entries(v).map(([n, c]) => `${n === '' ? '(none)' : n} ${num(c)}`);
      if (parts.length) notes.push(k.replaceAll('_', ' ') + ': ' + parts.join(' · '));
    } else {
      notes.push(k.replaceAll('_', ' ') + ': ' + (Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : typeof v === 'number' ? num(v) : v));
    }
  }
  p.setNote(notes.map((n) => (/[.!?]$/.test(n) ? n : n + '.')).join(' '));
  const rows = s.rows || [];
  if (!rows.length) {
    p.body.append(empty('none'));
  } else {
    const columns = Object.keys(rows[0]).map((k) => ({ key: k, label: k.replaceAll('_', ' '), title: k, num: typeof rows[0][k] === 'number', render: (r) => (Array.isArray(r[k]) ? r[k].join(' · ') : cell(r[k])) }));
    p.body.append(table(columns, rows));
  }
  return p;
}

/**
 * Asks /api/report and shows its sections (those `options.pick` keeps, by id) in `body` with the statements behind
 * them, and the source under `options.intro` in `source`; `options.before` makes nodes shown above the sections.
 */
export async function showReport(body, source, params, signal, options = {}) {
  const rep = await report(params, signal);
  clear(source).append(...(options.intro || []), 'Source: ', rep.source, '.');
  const panels = Object.keys(rep.sections).filter(options.pick || (() => true)).map((id) => section(id, rep.sections[id]));
  for (const p of panels) p.showSql(rep.sql.join(';\n\n'));
  clear(body).append(...(options.before ? [options.before(rep.sections)] : []), ...panels.map((p) => p.el));
}

/**
 * A page of report sections: `title` over its `controls`, the source and the sections `params` and `options` ask
 * /api/report for ({@link showReport}), built now and again on refresh; returns the page's state for the router.
 */
export function reportPage(root, title, controls, bodyClass, params, options) {
  const source = h('p', { class: 'muted' });
  const body = h('div', { class: bodyClass }, h('div', { class: 'loading' }, 'Building the report…'));
  root.append(h('h1', null, title), controls, source, body);
  const controller = new AbortController();
  async function load() {
    try {
      await showReport(body, source, params, controller.signal, options);
    } catch (e) {
      clear(body).append(h('div', { class: 'error-box' }, String(e.message || e)));
    }
  }
  return loading(controller, load);
}

export default {
  title: 'Report',
  render(root, route) {
    const params = route.params;
    const controls = h('form', { class: 'toolbar' },
      field('Layer', select('layer', [['', 'Automatic'], ['memory', 'Memory operations'], ['redis', 'Redis commands']], params.get('layer'))),
      field('Time range', select('range', RANGES, params.get('range'))),
      h('button', { type: 'submit' }, 'Apply'));
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      const d = new FormData(controls);
      const q = new URLSearchParams();
      if (d.get('layer')) q.set('layer', d.get('layer'));
      if (d.get('range')) q.set('range', d.get('range'));
      location.hash = '#/report' + (q.toString() ? '?' + q : '');
    });
    return reportPage(root, 'Report', controls, 'report', { layer: params.get('layer'), since: params.get('range') },
      { intro: ['The same sections and numbers as ', h('code', null, 'java -jar memtrace-collector.jar report --format json'), '. '] });
  },
};
