// Memory health: the report's TTL truth, memory health and Redis commands per memory call (/api/report, the same
// sections and numbers as the `report` command), with the figures of all stores at a glance.
import { h, num } from '../dom.js';
import { RANGES } from '../api.js';
import { field, select, stat } from '../ui.js';
import { reportPage } from './report.js';

const SECTIONS = ['ttl_truth', 'memory_health', 'memory_commands'];

function share(v) {
  return v == null ? 'n/a' : (v * 100).toFixed(1) + ' %';
}

function known(v) {
  return typeof v === 'number' ? num(v) : 'unknown';
}

/** The all-stores figures and the TTL findings' counts, as tiles; a finding that should not happen is marked. */
function glance(sections) {
  const health = sections.memory_health || {};
  const all = (health.rows || []).find((r) => r.scope === 'all') || {};
  const ttl = sections.ttl_truth || {};
  const commands = sections.memory_commands || {};
  return h('div', { class: 'stats' },
    stat(share(all.never_read_share), 'writes never read'),
    stat(share(all.empty_search_share), 'searches that found nothing'),
    stat(all.read_write_ratio == null ? 'n/a' : String(all.read_write_ratio), 'reads per write'),
    stat(known(all.unchanged_rewrites), 'unchanged rewrites'),
    stat(known(all.duplicate_values), 'duplicate values'),
    stat(all.redis_commands_per_op == null ? 'n/a' : String(all.redis_commands_per_op), 'Redis commands per memory call'),
    stat(num(commands.n_plus_one_calls ?? 0), 'N+1 memory calls', commands.n_plus_one_calls > 0 ? 'bad' : null),
    stat(num(ttl.ttl_lost ?? 0), 'TTLs asked for and lost', ttl.ttl_lost > 0 ? 'bad' : null),
    stat(num(ttl.ttl_differs ?? 0), 'TTLs Redis got otherwise', ttl.ttl_differs > 0 ? 'bad' : null),
    stat(num(ttl.no_ttl ?? 0), 'keys without the TTL their namespace has', ttl.no_ttl > 0 ? 'bad' : null),
    stat(num(ttl.ttl_drift ?? 0), 'records whose TTLs drift', ttl.ttl_drift > 0 ? 'bad' : null),
    stat(num(ttl.stale_read ?? 0), 'reads past the TTL', ttl.stale_read > 0 ? 'bad' : null));
}

export default {
  title: 'Memory health',
  render(root, route) {
    const params = route.params;
    const controls = h('form', { class: 'toolbar' },
      field('Time range', select('range', RANGES, params.get('range'))),
      h('button', { type: 'submit' }, 'Apply'));
    controls.addEventListener('submit', (e) => {
      e.preventDefault();
      const range = new FormData(controls).get('range');
      location.hash = '#/memory-health' + (range ? '?range=' + encodeURIComponent(range) : '');
    });
    // the memory layer: health is about the memory calls, whatever the report would pick
    return reportPage(root, 'Memory health', controls, 'report memory-health',
      { layer: 'memory', since: params.get('range') }, {
        intro: ['Every memory store\'s health and whether the TTLs its calls asked for are the TTLs Redis got: the '
          + 'sections of ', h('code', null, 'java -jar memtrace-collector.jar report'), '. '],
        pick: (id) => SECTIONS.includes(id),
        before: glance,
      });
  },
};
