// The web view's shell: hash routes (#/traces, #/trace/ID, #/keys, #/key/KEY, #/memory, #/memory-health, #/report,
// #/sql, #/health) so that every view has a URL to share, and live refresh of the page shown.
import { h, clear, num } from './dom.js';
import { signOut, onPending } from './api.js';
import traces from './pages/traces.js';
import trace from './pages/trace.js';
import keys from './pages/keys.js';
import key from './pages/key.js';
import memory from './pages/memory.js';
import memoryHealth from './pages/memory-health.js';
import report from './pages/report.js';
import sql from './pages/sql.js';
import health from './pages/health.js';

const PAGES = { traces, trace, keys, key, memory, 'memory-health': memoryHealth, report, sql, health };
const NAV = [['traces', 'Traces'], ['keys', 'Keys'], ['memory', 'Memory'], ['memory-health', 'Memory health'], ['report', 'Report'], ['sql', 'SQL'], ['health', 'Health']];
/** How often a live page refreshes. */
const REFRESH_MS = 5000;

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const live = document.getElementById('live');
const pending = document.getElementById('pending');
let current = null;
let timer = null;

function parse() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, qs] = hash.split('?', 2);
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch (e) {
      return p;
    }
  });
  return { name: parts[0] || 'traces', args: parts.slice(1), params: new URLSearchParams(qs || '') };
}

function show() {
  const r = parse();
  const page = PAGES[r.name] || traces;
  if (current && current.dispose) current.dispose();
  clearInterval(timer);
  pending.hidden = true;
  const section = ['trace'].includes(r.name) ? 'traces' : r.name === 'key' ? 'keys' : r.name;
  for (const a of nav.children) a.classList.toggle('active', a.dataset.page === section);
  clear(main);
  const root = h('div', { class: 'page page-' + r.name });
  main.append(root);
  current = page.render(root, r) || {};
  document.title = (current.title || page.title || 'memtrace') + ' · memtrace';
  if (current.refresh) {
    timer = setInterval(() => {
      if (live.checked && document.visibilityState === 'visible' && !current.busy) current.refresh();
    }, REFRESH_MS);
  }
}

onPending((spans) => {
  pending.hidden = !(spans > 0);
  pending.textContent = spans > 0 ? `${num(spans)} span${spans === 1 ? '' : 's'} the collector acknowledged ${spans === 1 ? 'is' : 'are'} still `
    + 'waiting to be loaded into its store: what this page shows leaves them out until they are.' : '';
});
for (const [id, text] of NAV) nav.append(h('a', { href: '#/' + id, dataset: { page: id } }, text));
document.getElementById('signout').addEventListener('click', signOut);
live.addEventListener('change', () => {
  if (live.checked && current && current.refresh) current.refresh();
});
window.addEventListener('hashchange', show);
show();
