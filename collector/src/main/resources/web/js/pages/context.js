// A model call's "context from memory": each memory span it links to, and under each the records that went into
// its prompt, with the key, the write that produced the value (its task, service and trace), the value's age, and
// the stale and cross-tenant marks. The rows come from /api/provenance, which the collector's provenance package
// answers; every value is the application's text and is shown as text (dom.js).
import { h, link, ms, num } from '../dom.js';
import { empty, table } from '../ui.js';

/** The model calls of a trace by span id, from the trace's first to last span start (epoch µs). */
export async function contexts(traceId, fromUs, toUs, signal) {
  const q = new URLSearchParams({ trace: traceId, from: String(Math.floor(fromUs)), to: String(Math.ceil(toUs)) });
  const response = await fetch('/api/provenance?' + q, { credentials: 'same-origin', cache: 'no-store', signal });
  const body = await response.json().catch(() => ({ error: 'the collector answered ' + response.status + ' without JSON' }));
  if (!response.ok || body.error) throw new Error(body.error || 'HTTP ' + response.status);
  return { calls: new Map(body.calls.map((c) => [c.span_id, c])), tenantRule: body.tenant_rule };
}

/** The waterfall's mark for a model call: what is wrong with its memory, or how many records it had. */
export function flag(call) {
  if (call.cross_tenant_reads) return { text: `${num(call.cross_tenant_reads)} cross-tenant`, cls: 'flag-bad' };
  if (call.stale_records) return { text: `${num(call.stale_records)} stale`, cls: 'flag-warn' };
  if (!call.linked) return { text: 'memory unknown', cls: '' };
  const records = call.sources.reduce((n, s) => n + s.records.length, 0);
  return { text: `${num(records)} from memory`, cls: 'flag-ok' };
}

function writer(r) {
  if (r.writer === 'seen') {
    return [h('a', { href: link(['trace', r.write_trace_id]) }, r.writer_task || 'write'), h('span', { class: 'muted' }, ' (' + (r.write_service || '?') + ')')];
  }
  if (r.writer === 'compressed') return h('span', { class: 'muted' }, 'compressed by retention');
  if (r.writer) return h('span', { class: 'muted' }, 'not in the store');
  return h('span', { class: 'muted' }, r.layer === 'returned' ? 'returned by the search' : '–');
}

function marks(r, source) {
  const out = [];
  if (r.stale_by) {
    out.push(h('a', { class: 'badge flag-warn', href: link(['trace', r.stale_trace_id]), title: 'this key was written again, by another trace, between the read and the model call' }, 'stale: rewritten by ' + r.stale_by));
  }
  if (r.cross_tenant) {
    out.push(h('span', { class: 'badge flag-bad', title: 'the record belongs to another tenant than the memory call' }, `cross-tenant: ${r.tenant}, call ${source.tenant}`));
  }
  return out.length ? out : h('span', { class: 'muted' }, 'ok');
}

/** The panel's body for one model call; `showSpan(id)` selects a span of this trace. */
export function contextPanel(call, traceId, tenantRule) {
  const parts = [];
  const records = call.sources.reduce((n, s) => n + s.records.length, 0);
  parts.push(h('div', { class: 'facts-row context-facts' },
    h('span', null, h('b', null, num(records)), ' records'),
    call.prompt_share != null ? h('span', null, h('b', null, Math.round(call.prompt_share * 100) + '%'), ' of the prompt') : null,
    call.input_tokens != null ? h('span', null, h('b', null, num(call.input_tokens)), ' input tokens') : null,
    call.oldest_ms != null ? h('span', null, 'oldest value ', h('b', null, ms(call.oldest_ms))) : null,
    call.stale_records ? h('span', { class: 'badge flag-warn' }, num(call.stale_records) + ' stale') : null,
    call.cross_tenant_reads ? h('span', { class: 'badge flag-bad' }, num(call.cross_tenant_reads) + ' cross-tenant') : null));
  if (!call.linked) {
    parts.push(h('div', { class: 'placeholder' }, 'This model span links to no memory spans (it comes from an instrumentation that adds none), so the memory in its prompt is not known. memtrace\'s agent adds the links at the frameworks\' hand-off points.'));
    return h('div', { class: 'context', dataset: { context: 'unknown' } }, parts);
  }
  for (const s of call.sources) {
    const head = h('div', { class: 'context-source' },
      h('span', { class: 'badge' }, s.source || 'memory'),
      s.found ? h('a', { href: link(['trace', s.trace_id], { span: s.span_id }) }, s.name) : h('span', { class: 'muted' }, 'memory span not in the store'),
      s.found && s.trace_id !== traceId ? h('span', { class: 'muted' }, ' (another trace)') : null,
      s.service ? h('span', { class: 'muted' }, ' · ' + s.service) : null,
      s.tenant != null ? h('span', { class: 'muted' }, ' · tenant ' + s.tenant) : null,
      s.linked_records != null ? h('span', { class: 'muted' }, ` · ${num(s.linked_records)} passed to the model`) : null);
    parts.push(head);
    parts.push(s.records.length ? h('div', { class: 'context-table' }, table([
      { key: 'key', render: (r) => h('a', { class: 'mono', href: link(['key', r.key]) }, r.key) },
      { key: 'command', label: 'read' },
      { key: 'writer', label: 'written by', render: (r) => writer(r) },
      { key: 'age_millis', label: 'age', num: true, render: (r) => (r.age_millis != null ? ms(r.age_millis) : '–') },
      { key: 'marks', label: 'marks', render: (r) => marks(r, s) }], s.records, { class: 'context-records', rowClass: (r) => (r.cross_tenant ? 'row-bad' : r.stale_by ? 'row-warn' : null) }))
      : empty(s.found ? 'No key read under this memory span is in the store.' : 'The linked memory span is not in the store (not yet loaded, or removed).'));
  }
  if (!tenantRule) parts.push(h('div', { class: 'muted small' }, 'No tenant rule is configured (memory-state.tenant in serve --config): cross-tenant reads are not checked.'));
  return h('div', { class: 'context', dataset: { context: 'known' } }, parts);
}
