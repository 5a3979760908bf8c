// A record's versions on the key page: each change to the value, tied to its trace, with the diff from the version
// before drawn side by side (before | after). Every value text is the application's, so it goes through `visible`
// (dom.js), the one path that turns a string into text nodes with hidden characters marked; never into markup.
import { h, clear, link, bytes, time, visible } from '../dom.js';
import { panel, empty } from '../ui.js';
import { versions } from '../api.js';

const LIMIT = 200;

const WHAT = {
  write_not_captured: 'not captured', delete: 'deleted', expiry: 'expired', eviction: 'evicted',
};

const CHANGE = {
  replace: 'replaced', fields_set: 'fields set', fields_removed: 'fields removed', push_tail: 'pushed at the tail',
  push_head: 'pushed at the head', members_added: 'members added', members_removed: 'members removed',
  append: 'appended',
};

const MARK = { added: '+', removed: '−', changed: '~', same: '', skipped: '' };

/** A value's text in a diff cell: newlines and tabs kept (the cell wraps), every other hidden character marked. */
function text(value) {
  return value == null ? null : visible(value, true);
}

function traceLink(v) {
  return h('a', { class: 'mono trace-link', href: link(['trace', v.trace_id], v.span_id ? { span: v.span_id } : undefined) },
    v.trace_id.slice(0, 12) + '…');
}

/** The rows of one diff as a side-by-side table: a text's lines with their numbers, else names (field, path, index). */
function diffTable(diff) {
  const lines = diff.form === 'lines';
  const named = !lines && diff.rows.some((r) => r.name != null);
  const width = lines ? 4 : named ? 3 : 2;
  const head = lines ? ['', 'before', '', 'after'] : named ? [diff.form === 'json' ? 'path' : diff.form === 'list'
    ? 'index' : diff.form === 'scores' ? 'member' : 'field', 'before', 'after'] : ['before', 'after'];
  const rows = diff.rows.map((r) => {
    if (r.op === 'skipped') return h('tr', { class: 'diff-skipped' }, h('td', { colspan: width }, '⋯ ', r.name));
    const before = h('td', { class: 'diff-before' }, r.before != null ? [h('span', { class: 'diff-mark' },
      r.op === 'same' ? '' : r.op === 'added' ? '' : MARK[r.op === 'changed' ? 'removed' : r.op]), text(r.before)] : null);
    const after = h('td', { class: 'diff-after' }, r.after != null ? [h('span', { class: 'diff-mark' },
      r.op === 'same' ? '' : MARK[r.op === 'changed' ? 'added' : r.op]), text(r.after)] : null);
    const cells = lines ? [h('td', { class: 'diff-line' }, r.before_line ?? ''), before,
      h('td', { class: 'diff-line' }, r.after_line ?? ''), after]
      : named ? [h('td', { class: 'diff-name' }, text(r.name)), before, after] : [before, after];
    return h('tr', { class: 'diff-' + r.op }, cells);
  });
  if (diff.more > 0) rows.push(h('tr', { class: 'diff-skipped' }, h('td', { colspan: width }, `⋯ ${diff.more} more changes not shown`)));
  return h('table', { class: 'diff' + (lines ? ' diff-lines' : '') },
    h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), h('tbody', null, rows));
}

/** One version: its number, time, what it did and who did it, the value after it in words, and its diff. */
function versionItem(v) {
  const what = v.what === 'write' ? CHANGE[v.change] || v.change : WHAT[v.what] || v.what;
  const flags = [];
  if (v.size != null) flags.push(h('span', { class: 'badge' }, bytes(v.size) + ' written'));
  if (v.truncated) flags.push(h('span', { class: 'badge flag-bad', title: 'capture.value-max-bytes' }, '✂ cut at the agent\'s cap'));
  return h('li', { class: 'version what-' + v.what + (v.truncated ? ' cut' : '') },
    h('div', { class: 'version-head' },
      h('span', { class: 'version-number' }, 'v' + v.number),
      h('span', { class: 'record-time' }, time(v.time_us)),
      h('span', { class: 'badge version-what' }, what),
      h('span', { class: 'record-cause' }, v.trace_id ? [h('span', { class: 'op' }, v.operation), ' by ', v.service, ' ',
        traceLink(v)] : v.cause),
      h('span', { class: 'grow' }),
      h('span', { class: 'version-summary' }, v.summary), ...flags),
    v.note ? h('div', { class: 'version-note' }, v.note) : null,
    v.diff.rows.length ? diffTable(v.diff) : v.what === 'write_not_captured' ? h('div', { class: 'version-size-only' },
      'value not captured', v.size != null ? ' · ' + bytes(v.size) + ' written' : '') : null);
}

/** The versions panel of the key page; `load()` asks the server again. */
export function versionsPanel(key, signal) {
  const p = panel('Versions: what each change did to the value', { class: 'versions' });
  async function load() {
    try {
      const answer = await versions(key, { limit: LIMIT }, signal);
      const count = answer.versions.length;
      p.setNote(count ? `${count} versions${answer.truncated ? ' (the newest ' + count + ')' : ''}, oldest first; `
        + `${answer.captured} with a captured value` : '');
      const list = count ? h('ol', { class: 'versions-list' }, answer.versions.map(versionItem)) : empty(
        'No version of this key in the store.');
      // with no value captured every version is a size: folded, so that the timeline below stays in view
      clear(p.body).append(count && !answer.captured ? h('details', { class: 'versions-sizes' },
        h('summary', null, `No value of this key was captured: ${count} versions of known size only`), list) : list,
      ...answer.notes.map((n) => h('div', { class: 'record-note' }, n)));
    } catch (e) {
      p.fail(e);
    }
  }
  return { el: p.el, load };
}
