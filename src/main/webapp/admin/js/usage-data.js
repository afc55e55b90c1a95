// Usage numbers in one shape whatever the gateway serves: the durable records of a period
// (GET usage?from=&to=&group-by=, rows per key) or, from a gateway without them, the live counters
// since the last reset (GET usage: clients and their models), summed per model and per client.

export const COLUMNS = ['requests', 'succeeded', 'failed', 'cancelled', 'prompt-tokens', 'completion-tokens',
  'cached-tokens', 'reasoning-tokens', 'total-tokens', 'cost', 'estimated-requests'];

/** A cell of column {@code column} as the table shows it: cost in US dollars to the micro-dollar, counts grouped. */
export function cell(column, value) {
  const n = Number(value || 0);
  return column === 'cost'
    ? '$' + n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })
    : n.toLocaleString('en-US');
}

/** Whether a usage answer is the durable shape (rows) rather than the live one (clients). */
export function isDurable(body) {
  return body !== null && typeof body === 'object' && Array.isArray(body.rows);
}

/** The live answer as {since, groups: {model: rows, client: rows}, totals}. */
export function fromLive(body) {
  const byModel = new Map();
  const byClient = new Map();
  const totals = emptyRow('');
  for (const client of body.clients || []) {
    for (const m of client.models || []) {
      add(row(byModel, m.model), m);
      add(row(byClient, client.client), m);
      add(totals, m);
    }
  }
  return { since: body.since, groups: { model: sorted(byModel), client: sorted(byClient) }, totals };
}

/** Every day from..to (ISO dates, inclusive), with the day rows' values and zero where none. */
export function fillDays(rows, from, to, column) {
  const byDay = new Map(rows.map((r) => [r.key, Number(r[column] || 0)]));
  const points = [];
  for (let day = new Date(from + 'T00:00:00Z'); day <= new Date(to + 'T00:00:00Z');
    day = new Date(day.getTime() + 86400000)) {
    const key = day.toISOString().slice(0, 10);
    points.push({ key, value: byDay.get(key) || 0 });
    if (points.length > 3660) {
      break;
    }
  }
  return points;
}

/** The columns of COLUMNS that any row or the totals carry (the live shape lacks some). */
export function presentColumns(rows, totals) {
  return COLUMNS.filter((c) => (totals && c in totals) || rows.some((r) => c in r));
}

/**
 * CSV (RFC 4180) of rows with the group key first. Cells that a spreadsheet would run as a formula
 * (a client named "=HYPERLINK(...)") are prefixed with an apostrophe.
 */
export function toCsv(group, rows, totals, columns) {
  const lines = [[group, ...columns]];
  for (const r of rows) {
    lines.push([r.key, ...columns.map((c) => r[c] ?? 0)]);
  }
  if (totals) {
    lines.push(['total', ...columns.map((c) => totals[c] ?? 0)]);
  }
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value) {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) {
    text = "'" + text;
  }
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function emptyRow(key) {
  return { key, requests: 0, succeeded: 0, failed: 0, cancelled: 0, 'prompt-tokens': 0, 'completion-tokens': 0,
    'total-tokens': 0 };
}

function row(map, key) {
  if (!map.has(key)) {
    map.set(key, emptyRow(key));
  }
  return map.get(key);
}

function add(target, source) {
  for (const c of COLUMNS) {
    if (typeof source[c] === 'number') {
      target[c] = (target[c] || 0) + source[c];
    }
  }
}

function sorted(map) {
  return [...map.values()].sort((a, b) => String(a.key).localeCompare(String(b.key)));
}
