// One key's history: every operation on it, newest first, each linked to its trace.
import { h, clear, link, ms, bytes, time } from '../dom.js';
import { panel, table, empty } from '../ui.js';

const LIMIT = 500;

export default {
  title: 'Key',
  render(root, route) {
    const key = route.args.join('/');
    const history = panel('Every operation on this key', { class: 'history' });
    root.append(h('div', { class: 'crumbs' }, h('a', { href: '#/keys' }, 'Keys'), ' / ', h('span', null, key)),
      h('h1', { class: 'key-title' }, key), history.el);
    const controller = new AbortController();
    const state = { busy: false };
    async function load() {
      state.busy = true;
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
      } finally {
        state.busy = false;
      }
    }
    load();
    return { title: key, get busy() { return state.busy; }, refresh: load, dispose: () => controller.abort() };
  },
};
