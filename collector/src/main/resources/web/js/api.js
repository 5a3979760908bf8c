// The server's API, as the page's own requests: same origin, the session cookie, JSON bodies.
// A 401 means the session is gone (the server restarted): the page reloads into the sign-in page.

export class ApiError extends Error {}

async function call(path, options) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...options });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('the collector does not answer (stopped?)');
  }
  if (response.status === 401) {
    location.reload();
    throw new ApiError('signed out');
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError('the collector answered ' + response.status + ' without JSON');
  }
  // a long query answers 200 first and may carry its error in the body
  if (!response.ok || body.error) throw new ApiError(body.error || 'HTTP ' + response.status);
  return body;
}

let pendingListener = () => {};

/**
 * Tells `listener` the spans each answer lacks because the collector had acknowledged them and not yet loaded
 * them into its store (0: none): the page answers at once after a burst, and says so instead of waiting.
 */
export function onPending(listener) {
  pendingListener = listener;
}

async function counted(answer) {
  const body = await answer;
  pendingListener(body.pending_spans || 0);
  return body;
}

/**
 * Runs read-only SQL on /api/query: {columns, rows (arrays), truncated, truncation, pending_spans}. Unlike the
 * `query` command it reads what is loaded now (wait=false), so a backlog never holds the page.
 */
export function query(sql, signal) {
  return counted(call('/api/query?wait=false', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sql }),
    signal,
  }));
}

/** The rows of a result as objects by column name. */
export function objects(result) {
  const names = result.columns.map((c) => c.name);
  // a plain loop: a trace's 10,000 rows are built several times faster than with fromEntries,
  // which is kept for a column named __proto__ (an assignment would set the prototype)
  if (names.includes('__proto__')) return result.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
  const width = names.length;
  return result.rows.map((r) => {
    const o = {};
    for (let i = 0; i < width; i++) o[names[i]] = r[i];
    return o;
  });
}

/**
 * Asks the store one of the web view's questions (GET /api/view/NAME): the rows in /api/query's shape, and `sql`,
 * the statements the store ran in its own dialect. The pages ask questions, never SQL, so they work on any store.
 */
export function view(name, params, signal) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') q.set(k, v);
  return counted(call('/api/view/' + name + (q.toString() ? '?' + q : ''), { signal }));
}

/** One record's timeline (GET /api/keys/{key}/timeline): {key, events, truncated, notes}. */
export function timeline(key, params, signal) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') q.set(k, v);
  return call('/api/keys/' + encodeURIComponent(key) + '/timeline' + (q.toString() ? '?' + q : ''), { signal });
}

/** One record's versions with their diffs (GET /api/keys/{key}/versions): {key, versions, truncated, captured, notes}. */
export function versions(key, params, signal) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') q.set(k, v);
  return call('/api/keys/' + encodeURIComponent(key) + '/versions' + (q.toString() ? '?' + q : ''), { signal });
}

export function status(signal) {
  return call('/api/status', { signal });
}

export function report(params, signal) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') q.set(k, v);
  return counted(call('/api/report' + (q.toString() ? '?' + q : ''), { signal }));
}

export async function signOut() {
  await fetch('/signout', { method: 'POST', credentials: 'same-origin' });
  location.href = '/';
}

/** The choices of the time range selects. */
export const RANGES = [
  ['', 'All time'],
  ['900', 'Last 15 minutes'],
  ['3600', 'Last hour'],
  ['21600', 'Last 6 hours'],
  ['86400', 'Last 24 hours'],
  ['604800', 'Last 7 days'],
];
