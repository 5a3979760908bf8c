// Charts: a heat map built of plain elements, and time series drawn by uPlot (a WebJar, served
// from this jar like every other file, and loaded only by the pages that draw a chart). Labels
// reach uPlot only as text: it writes them with textContent.
import { h, time } from './dom.js';

const PALETTE = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#1098ad', '#f08c00', '#c2255c', '#5c940d', '#495057', '#7048e8'];

export function color(i) {
  return PALETTE[i % PALETTE.length];
}

/**
 * Rows {namespace, bucket, ops, t0, t1} as a grid: a row per namespace, a cell per time bucket,
 * shaded by operations on a log scale.
 */
export function heatmap(rows, columns, tip) {
  const byNs = new Map();
  for (const r of rows) {
    if (!byNs.has(r.namespace)) byNs.set(r.namespace, new Array(columns).fill(0));
    byNs.get(r.namespace)[r.bucket] = r.ops;
  }
  const max = Math.max(1, ...rows.map((r) => r.ops));
  const t0 = rows[0].t0;
  const t1 = rows[0].t1;
  const grid = h('div', { class: 'heatmap', style: { gridTemplateColumns: `minmax(120px, 220px) repeat(${columns}, 1fr)` } });
  for (const [ns, counts] of byNs) {
    grid.append(h('div', { class: 'hm-label', title: ns }, ns === '' ? '(none)' : ns));
    counts.forEach((n, b) => {
      const level = n === 0 ? 0 : 0.12 + (0.88 * Math.log1p(n)) / Math.log1p(max);
      grid.append(h('div', {
        class: 'hm-cell' + (n === 0 ? ' zero' : ''),
        style: n === 0 ? null : { backgroundColor: `rgba(59, 91, 219, ${level.toFixed(3)})` },
        title: `${tip(ns, b, t0, t1)}\n${n} operations`,
        dataset: { ops: n },
      }));
    });
  }
  const axis = h('div', { class: 'hm-axis', style: { gridTemplateColumns: `minmax(120px, 220px) 1fr 1fr 1fr` } },
    h('span'), h('span', null, time(t0)), h('span', { class: 'center' }, time((t0 + t1) / 2).slice(11)), h('span', { class: 'right' }, time(t1).slice(11)));
  const legend = h('div', { class: 'hm-legend' }, h('span', null, '0'), h('span', { class: 'hm-ramp' }), h('span', null, String(max) + ' ops per cell'));
  return h('div', { class: 'heatmap-wrap' }, grid, axis, legend);
}

let library = null;

/** uPlot's own ES module build, fetched and run the first time a chart is drawn. */
function uPlot() {
  library = library || import('../vendor/uPlot.esm.js').then((m) => m.default);
  return library;
}

/**
 * A time series chart. `times` in seconds since the epoch; `series` [{label, values, unit}].
 * Returns the element at once; the chart is drawn into it once uPlot has loaded, and sizes
 * itself to the element's width.
 */
export function lineChart(times, series, options = {}) {
  const el = h('div', { class: 'chart' });
  uPlot().then((UPlot) => draw(UPlot, el, times, series, options), () => {
    el.append(h('div', { class: 'error-box' }, 'the chart library did not load'));
  });
  return el;
}

function draw(UPlot, el, times, series, options) {
  const format = options.format || ((v) => String(v));
  const opts = {
    width: 800,
    height: options.height || 240,
    scales: { x: { time: options.time !== false } },
    axes: [{ stroke: '#5c6370', grid: { stroke: '#eef0f3' } },
      { stroke: '#5c6370', grid: { stroke: '#eef0f3' }, size: 70, values: (u, ticks) => ticks.map(format) }],
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: color(i), width: 2, fill: options.fill ? color(i) + '14' : undefined, points: { show: times.length < 40 }, paths: options.stepped ? UPlot.paths.stepped({ align: 1 }) : undefined, value: (u, v) => (v == null ? '–' : format(v)) }))],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  };
  const plot = new UPlot(opts, [times, ...series.map((s) => s.values)], el);
  const fit = () => {
    const w = el.clientWidth;
    if (w > 0) plot.setSize({ width: w, height: opts.height });
  };
  requestAnimationFrame(fit);
  new ResizeObserver(fit).observe(el);
}
