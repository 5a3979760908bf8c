// Building the page. Every string the server sends was written by the monitored application, so
// it becomes a text node (never markup), and characters that would be invisible or would reorder
// the text around them (controls, bidi overrides and isolates, zero-width marks) become a visible,
// marked token. Links are only ever this app's own routes.

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');

/** The name a hidden character is shown by: its control picture, else its code point. */
function label(ch) {
  const code = ch.codePointAt(0);
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A string as nodes: plain text, with each hidden character as a marked token. With
 * `keepNewlines`, line feeds and tabs stay as they are (for stack traces in a pre-wrapped box).
 */
export function visible(value, keepNewlines = false) {
  const text = value == null ? '' : String(value);
  if (!HIDDEN.test(text)) return document.createTextNode(text);
  const out = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(HIDDEN_ALL)) {
    const ch = m[0];
    if (keepNewlines && (ch === '\n' || ch === '\t')) continue;
    if (m.index > last) out.append(document.createTextNode(text.slice(last, m.index)));
    const mark = document.createElement('span');
    mark.className = 'ctl';
    mark.textContent = label(ch);
    mark.title = 'hidden character ' + 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
    out.append(mark);
    last = m.index + ch.length;
  }
  if (last < text.length) out.append(document.createTextNode(text.slice(last)));
  return out;
}

/** Whether a string holds characters that `visible` marks. */
export function hasHidden(value) {
  return value != null && HIDDEN.test(String(value));
}

/** What `h` sets as a property (live state); every other prop becomes an attribute. */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'spellcheck', 'rows', 'id']);

/** An element: `props` set as properties (never as markup); children are nodes or strings shown as text. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'href') el.setAttribute('href', route(v));
      else if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style') Object.assign(el.style, v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (PROPERTIES.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(visible(c));
  }
}

/** An href of this app: only "#/..." routes pass, anything else (javascript:, data:, other sites) throws. */
export function route(href) {
  const s = String(href);
  if (!s.startsWith('#/')) throw new Error('not an app route: ' + s.slice(0, 40));
  return s;
}

/** A route from path parts (each encoded) and parameters (empty ones left out). */
export function link(parts, params) {
  let s = '#/' + parts.map((p) => encodeURIComponent(String(p))).join('/');
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v != null && v !== '' && v !== false) q.set(k, String(v));
    const qs = q.toString();
    if (qs) s += '?' + qs;
  }
  return s;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/**
 * A number with thousands separators and at most three decimals, as en-US writes it. Not with
 * Intl.NumberFormat: building one loads ICU's data, 40-60 ms of every page load on a busy machine.
 */
export function num(n) {
  if (n == null) return '–';
  const v = Number(n);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : (v < 0 ? '-∞' : '∞');
  const [whole, fraction] = round3(Math.abs(v));
  const text = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? '.' + fraction : '');
  return (v < 0 ? '-' : '') + text;
}

/** The shortest decimal form of a number, rounded half away from zero to three decimals: [whole, fraction]. */
function round3(abs) {
  if (abs < 1e-6) return ['0', '']; // written with an exponent, and below half a thousandth anyway
  if (abs >= 1e21) { // written with an exponent ("1.5e+22"), and a whole number
    const [mantissa, exponent] = String(abs).split('e+');
    const [lead, rest = ''] = mantissa.split('.');
    return [lead + rest + '0'.repeat(Number(exponent) - rest.length), ''];
  }
  const [whole, fraction = ''] = String(abs).split('.');
  if (fraction.length <= 3) return [whole, fraction];
  let digits = BigInt(whole + fraction.slice(0, 3));
  if (fraction[3] >= '5') digits += 1n;
  const text = digits.toString().padStart(4, '0');
  return [text.slice(0, -3), text.slice(-3).replace(/0+$/, '')];
}

export function ms(value) {
  if (value == null) return '–';
  const v = Number(value);
  if (v >= 1000) return (v / 1000).toFixed(v >= 10000 ? 1 : 2) + ' s';
  if (v >= 100) return v.toFixed(0) + ' ms';
  if (v >= 10) return v.toFixed(1) + ' ms';
  return v.toFixed(2) + ' ms';
}

export function bytes(value) {
  if (value == null) return '–';
  const v = Number(value);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return (i === 0 ? String(Math.round(x)) : x.toFixed(x >= 100 ? 0 : 1)) + ' ' + units[i];
}

/** A reason's times (ISO, UTC, as the terminal prints them) in the page's own format and time zone. */
export function localTimes(reason) {
  return reason.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, (iso) => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : time(ms * 1000);
  });
}

/** A time in microseconds since the epoch as local date and time, to the millisecond. */
export function time(us) {
  if (us == null) return '–';
  const d = new Date(Number(us) / 1000);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** How long ago, short: "12 s ago", "3 min ago". */
export function ago(us) {
  const s = (Date.now() - Number(us) / 1000) / 1000;
  if (s < 60) return Math.max(0, Math.round(s)) + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}
