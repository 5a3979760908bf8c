// One key's record: its versions with their diffs side by side (key-versions.js), its timeline (every write, read,
// TTL change, delete, expiry, eviction and outside change, oldest first, each with its cause and trace) and every
// operation on it, newest first, each linked to its trace.
import { h, clear, link, ms, bytes, time, localTimes } from '../dom.js';
import { panel, table, empty, loading } from '../ui.js';
import { timeline } from '../api.js';
import { versionsPanel } from './key-versions.js';

const LIMIT = 500;

const WHAT = {
  write: 'write', read: 'read', read_nothing: 'read: nothing', ttl: 'TTL', delete: 'delete', expiry: 'expired',
  eviction: 'evicted', other: 'other',
};

function traceLink(traceId, spanId) {
  return h('a', { class: 'mono trace-link', href: link(['trace', traceId], spanId ? { span: spanId } : undefined) },
    traceId.slice(0, 12) + '…');
}

function ttlText(e) {
  if (e.ttl_asked == null && e.ttl_got_state == null) return null;
  const asked = e.ttl_asked == null ? 'none' : e.ttl_asked + ' s';
  if (e.ttl_got_state == null) return h('span', { class: 'badge' }, 'TTL ' + asked);
  const got = e.ttl_got_state === 'set' ? e.ttl_got + ' s' : e.ttl_got_state === 'none' ? 'none' : 'unknown';
  const bad = e.ttl_got_state === 'none' || (e.ttl_got_state === 'set' && e.ttl_asked != null && e.ttl_got !== e.ttl_asked);
  return h('span', { class: bad ? 'badge flag-bad' : 'badge' }, 'TTL asked ' + asked + ', got ' + got);
}

/** A change without a span, as the reader's writer: who made it (by) and what it was. */
const UNTRACED = { 'outside/write': 'changed outside the traced services', 'outside/delete': 'deleted outside the traced services',
  'redis/expiry': 'expired', 'redis/eviction': 'evicted', unknown: 'changed by a command retention compressed (unknown)' };

/** One event: when, what, who (linked to its trace), its facts, and for a read that found nothing why. */
function eventItem(e) {
  const facts = [e.key + (e.namespace ? ' in ' + e.namespace : '')];
  if (e.redis) facts.push(e.redis + (e.db == null ? '' : '/' + e.db));
  if (e.value_size != null) facts.push(bytes(e.value_size));
  if (e.notified.length) facts.push('Redis events: ' + e.notified.join(', '));
  return h('li', { class: 'record-event by-' + e.by + ' what-' + e.what },
    h('span', { class: 'record-time' }, time(e.time_us)),
    h('span', { class: 'badge record-what' }, WHAT[e.what] || e.what),
    h('span', { class: 'record-cause' }, e.trace_id ? [h('span', { class: 'op' }, e.operation), ' by ', e.service, ' ',
      traceLink(e.trace_id, e.span_id)] : e.cause),
    h('div', { class: 'record-facts' }, facts.join(' · '), ' ', ttlText(e)),
    e.writer && e.writer.trace_id ? h('div', { class: 'record-facts' }, e.what === 'read' ? 'saw the write of ' : 'the last traced change before it: ', traceLink(e.writer.trace_id, e.writer.span_id),
      ' at ', time(e.writer.time_us)) : null,
    e.writer && !e.writer.trace_id ? h('div', { class: 'record-facts record-untraced' }, e.what === 'read' ? 'saw the change: ' : 'the last change before it: ',
      e.writer.maybe ? 'changed by ' + e.writer.maybe + ' or outside the traced services (unknown)'
        : UNTRACED[e.writer.by + '/' + e.writer.what] || UNTRACED[e.writer.by] || 'changed', ' at ', time(e.writer.time_us)) : null,
    e.read_by.length ? h('div', { class: 'record-facts' }, 'read by ', e.read_by.map((r, i) => [i ? ', ' : '',
      traceLink(r.trace_id, r.span_id)])) : null,
    e.reason ? h('div', { class: 'record-why' }, 'why: ', localTimes(e.reason)) : null);
}

export default {
  title: 'Key',
  render(root, route) {
    const key = route.args.join('/');
    const history = panel('Every operation on this key', { class: 'history' });
    const record = panel('Timeline: what happened to this record, and why', { class: 'timeline' });
    const controller = new AbortController();
    const versions = versionsPanel(key, controller.signal);
    root.append(h('div', { class: 'crumbs' }, h('a', { href: '#/keys' }, 'Keys'), ' / ', h('span', null, key)),
      h('h1', { class: 'key-title' }, key), versions.el, record.el, history.el);
    async function load() {
      versions.load();
      loadTimeline();
      try {
        const rows = await history.ask('key_history', { key }, controller.signal);
        history.setNote(rows.length ? `${rows.length}${rows.length === LIMIT ? '+' : ''} operations, newest first` : '');
        clear(history.body).append(rows.length ? table([
          { key: 'start_us', label: 'time', render: (r) => time(r.start_us) },
          { key: 'operation', render: (r) => h('span', { class: 'op' }, r.operation || r.name) },
          { key: 'name', label: 'span' },
          { key: 'service_name', label: 'service' },
          { key: 'found', render: (r) => (r.found == null ? '' : r.found ? 'found' : 'missing') },
          { key: 'size', num: true, render: (r) => (r.size == null ? '' : bytes(r.size)) },
          { key: 'ttl', label: 'TTL (s)', num: true, render: (r) => (r.ttl == null ? '' : String(r.ttl)) },
          { key: 'duration_ms', label: 'duration', num: true, render: (r) => ms(r.duration_ms) },
          { key: 'status_code', label: 'status', render: (r) => (r.status_code === 'ERROR' ? h('span', { class: 'error-text', title: r.status_message || '' }, '✗ ', (r.status_message || 'error').split(/\s/, 1)[0]) : '') },
          { key: 'trace_id', label: 'trace', render: (r) => h('a', { class: 'mono trace-link', href: link(['trace', r.trace_id], { span: r.span_id }) }, r.trace_id.slice(0, 12) + '…') },
        ], rows, { rowClass: (r) => (r.status_code === 'ERROR' ? 'error' : null) }) : empty('No span in the store touched this key. Keys are matched exactly: the memory manager\'s key and the Redis key are two names (see the Keys page\'s layer).'));
      } catch (e) {
        history.fail(e);
      }
    }
    async function loadTimeline() {
      try {
        const answer = await timeline(key, {}, controller.signal);
        const count = answer.events.length;
        record.setNote(count ? `${count} events, oldest first${answer.truncated ? ' (the newest ' + count + ')' : ''}` : '');
        clear(record.body).append(count ? h('ol', { class: 'record-events' }, answer.events.map(eventItem)) : empty(
          'No event of this key in the store.'), ...answer.notes.map((n) => h('div', { class: 'record-note' }, n)));
      } catch (e) {
        record.fail(e);
      }
    }
    return loading(controller, load, { title: key });
  },
};
