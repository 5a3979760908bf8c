// A trace as a Jaeger-like waterfall: the span tree beside time bars. Rows are virtualised (only
// the rows in view, plus a margin, exist in the DOM), so a trace of 10,000 spans renders and
// scrolls as fast as one of ten. A span that carries retention summaries gets one row per
// compressed command under it, where the CLI prints "+N compressed ...".
import { h, clear, ms, num } from './dom.js';

const ROW = 28;
const OVERSCAN = 12;

/** The kind of a span, for its colour: 'redis' (a Redis command), 'memory' (a memory-manager operation) or 'task'. */
export function kind(s) {
  return s.kind || 'task';
}

/** Spans (rows of the trace query) as a tree: children by parent, roots first, each level by start. */
export function tree(spans) {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const children = new Map();
  const roots = [];
  for (const s of spans) {
    const parent = s.parent_span_id && byId.has(s.parent_span_id) ? s.parent_span_id : null;
    if (parent == null) roots.push(s);
    else {
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(s);
    }
  }
  const order = (a, b) => a.start_us - b.start_us || (a.span_id < b.span_id ? -1 : 1);
  roots.sort(order);
  for (const list of children.values()) list.sort(order);
  return { roots, children };
}

/** The compressed summaries of a span from its memtrace.compressed events. */
export function compressed(span) {
  if (!span.compressed_events) return [];
  let events = span.compressed_events;
  if (typeof events === 'string') {
    try {
      events = JSON.parse(events);
    } catch (e) {
      return [];
    }
  }
  // commands that also went out as key events (memtrace.compressed.key_events) are stored as spans and drawn as such
  return (Array.isArray(events) ? events : []).filter((e) => e && e.name === 'memtrace.compressed').map((e) => {
    const a = e.attributes || {};
    const all = Number(a['memtrace.compressed.count'] || 0);
    const stored = Math.min(all, Math.max(0, Number(a['memtrace.compressed.key_events'] || 0)));
    return { command: a['db.operation.name'], namespace: a['memory.namespace'], count: all - stored, stored, total: Number(a['memtrace.compressed.duration_ms'] || 0) };
  }).filter((c) => c.count > 0);
}

/** How many of a span's compressed commands are not stored as spans of their own (see compressed). */
export function hiddenCount(span) {
  return compressed(span).reduce((n, c) => n + c.count, 0);
}

export class Waterfall {
  /**
   * @param spans rows of the trace query
   * @param onSelect called with a span when its row is clicked
   */
  constructor(spans, onSelect) {
    this.spans = spans;
    this.onSelect = onSelect;
    this.collapsed = new Set();
    this.selected = null;
    this.t0 = Math.min(...spans.map((s) => s.start_us));
    const end = Math.max(...spans.map((s) => s.start_us + (s.duration_ms || 0) * 1000));
    this.total = Math.max(1, end - this.t0);
    this.tree = tree(spans);
    this.scroll = h('div', { class: 'wf-scroll' });
    this.canvas = h('div', { class: 'wf-canvas' });
    this.scroll.append(this.canvas);
    this.el = h('div', { class: 'waterfall' }, this.header(), this.scroll);
    this.scroll.addEventListener('scroll', () => this.schedule(), { passive: true });
    // observed, not a window listener: it goes with the element when the page is left
    new ResizeObserver(() => this.schedule()).observe(this.scroll);
    this.flatten();
  }

  header() {
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => h('span', { class: 'wf-tick', style: { left: f * 100 + '%' } }, f === 0 ? '0' : ms((f * this.total) / 1000)));
    return h('div', { class: 'wf-header' }, h('div', { class: 'wf-label' }, 'Span'), h('div', { class: 'wf-timeline' }, ticks));
  }

  /** The rows in view order, honouring collapsed spans. */
  flatten() {
    const rows = [];
    const visit = (s, depth) => {
      const kids = this.tree.children.get(s.span_id) || [];
      rows.push({ span: s, depth, kids: kids.length });
      if (this.collapsed.has(s.span_id)) return;
      for (const c of compressed(s)) rows.push({ summary: c, parent: s, depth: depth + 1 });
      for (const k of kids) visit(k, depth + 1);
    };
    for (const r of this.tree.roots) visit(r, 0);
    this.rows = rows;
    this.canvas.style.height = rows.length * ROW + 'px';
    this.scroll.style.height = Math.min(rows.length * ROW, Math.max(360, window.innerHeight - 220)) + 'px';
    this.drawn = null;
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = null;
      this.draw();
    });
  }

  /**
   * Puts the rows in view (and a margin) in the DOM. While scrolling, the rows still in view stay
   * as they are and only the rows that come into view are built, above or below them, so the DOM
   * order stays the order on screen.
   */
  draw() {
    const top = this.scroll.scrollTop;
    const height = this.scroll.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW) + OVERSCAN);
    const [was0, was1] = this.drawn || [0, 0];
    if (this.drawn && was0 === first && was1 === last) return;
    if (!this.drawn || last <= was0 || first >= was1) {
      clear(this.canvas).append(this.build(first, last));
    } else {
      for (let i = was0; i < first; i++) this.canvas.firstChild.remove();
      for (let i = last; i < was1; i++) this.canvas.lastChild.remove();
      if (first < was0) this.canvas.prepend(this.build(first, was0));
      if (last > was1) this.canvas.append(this.build(was1, last));
    }
    this.drawn = [first, last];
  }

  build(from, to) {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) frag.append(this.row(this.rows[i], i));
    return frag;
  }

  row(r, i) {
    if (r.summary) return this.summaryRow(r, i);
    const s = r.span;
    const k = kind(s);
    const error = s.error != null;
    const left = ((s.start_us - this.t0) / this.total) * 100;
    const width = Math.max(0.15, (((s.duration_ms || 0) * 1000) / this.total) * 100);
    const toggle = r.kids
      ? h('button', { class: 'wf-toggle', type: 'button', title: this.collapsed.has(s.span_id) ? 'Expand' : 'Collapse', onclick: (e) => {
        e.stopPropagation();
        if (this.collapsed.has(s.span_id)) this.collapsed.delete(s.span_id);
        else this.collapsed.add(s.span_id);
        this.flatten();
      } }, this.collapsed.has(s.span_id) ? '▸' : '▾')
      : h('span', { class: 'wf-toggle-space' });
    const errorText = error ? (s.error || 'error').split(/\s/, 1)[0] : null;
    const label = h('div', { class: 'wf-label', style: { paddingLeft: 6 + r.depth * 16 + 'px' } },
      toggle,
      h('span', { class: 'wf-kind kind-' + k, title: k === 'redis' ? 'Redis command' : k === 'memory' ? 'memory operation' : k === 'model' ? 'model call' : 'task' }),
      h('span', { class: 'wf-name' }, s.name),
      s.memory_key != null ? h('span', { class: 'wf-key' }, s.memory_key)
        : s.key_unknown ? h('span', { class: 'wf-key unknown', title: 'the statement of this span hid its key' }, 'key unknown') : null,
      error ? h('span', { class: 'wf-error', title: s.error || 'error' }, '✗ ', errorText) : null,
      hiddenCount(s) ? h('span', { class: 'badge compressed', title: 'spans retention counted instead of exporting' }, '+' + num(hiddenCount(s))) : null,
      s.memory_flag ? h('span', { class: 'badge ' + s.memory_flag.cls, title: 'the memory in this model call\'s prompt' }, s.memory_flag.text) : null);
    const bar = h('div', { class: 'wf-timeline' },
      h('div', { class: 'wf-bar kind-' + k + (error ? ' error' : ''), style: { left: left + '%', width: width + '%' } }),
      h('span', { class: 'wf-dur', style: left + width > 80 ? { right: 100 - left + 0.5 + '%' } : { left: left + width + 0.5 + '%' } }, ms(s.duration_ms)));
    return h('div', {
      class: 'wf-row' + (error ? ' error' : '') + (this.selected === s.span_id ? ' selected' : ''),
      style: { top: i * ROW + 'px' },
      dataset: { span: s.span_id, depth: r.depth },
      onclick: () => this.select(s.span_id),
    }, label, bar);
  }

  summaryRow(r, i) {
    const c = r.summary;
    const p = r.parent;
    const left = ((p.start_us - this.t0) / this.total) * 100;
    const width = Math.max(0.15, (((p.duration_ms || 0) * 1000) / this.total) * 100);
    return h('div', { class: 'wf-row summary', style: { top: i * ROW + 'px' } },
      h('div', { class: 'wf-label', style: { paddingLeft: 6 + r.depth * 16 + 'px' } },
        h('span', { class: 'wf-toggle-space' }), h('span', { class: 'wf-kind kind-compressed' }),
        h('span', { class: 'wf-name' }, `+${num(c.count)} compressed ${c.command || 'commands'}`),
        c.namespace != null ? h('span', { class: 'wf-key' }, c.namespace) : null),
      h('div', { class: 'wf-timeline' },
        h('div', { class: 'wf-bar kind-compressed', style: { left: left + '%', width: width + '%' } }),
        h('span', { class: 'wf-dur', style: { left: Math.min(left + width + 0.5, 85) + '%' } }, c.stored ? `${num(c.stored)} more shown from their key events` : ms(c.total) + ' total')));
  }

  select(spanId) {
    this.selected = spanId;
    this.drawn = null;
    this.draw();
    const s = this.spans.find((x) => x.span_id === spanId);
    if (s && this.onSelect) this.onSelect(s);
  }

  /** Scrolls a span's row into view (a shared link names a span). */
  reveal(spanId) {
    const i = this.rows.findIndex((r) => r.span && r.span.span_id === spanId);
    if (i >= 0) this.scroll.scrollTop = Math.max(0, i * ROW - this.scroll.clientHeight / 3);
  }
}
