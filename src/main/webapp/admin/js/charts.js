// Two small SVG charts drawn with DOM calls (no library, no inline style): horizontal bars for
// categories and columns for days. Colours come from admin.css. Each bar carries data-key and
// data-value, and a <title> for its tooltip; the chart's aria-label sums it up for screen readers.
import { s } from './dom.js';

const MAX_BARS = 15;

/**
 * Horizontal bars for rows [{key, value}], largest first; format(value) renders numbers. width is the
 * pixel width the chart gets, so its text keeps its size on a phone and on a wide screen alike.
 */
export function barChart(rows, { name, format, width = 600 }) {
  const sorted = [...rows].sort((a, b) => b.value - a.value || String(a.key).localeCompare(String(b.key)));
  const shown = sorted.slice(0, MAX_BARS);
  const labelWidth = Math.round(Math.min(200, width * 0.36));
  const valueWidth = 64;
  const rowHeight = 26;
  const height = Math.max(1, shown.length) * rowHeight + 8;
  const max = Math.max(1, ...shown.map((r) => r.value));
  const plot = width - labelWidth - valueWidth;
  const svg = s('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': name + ': ' + (shown.length ? shown.map((r) => r.key + ' ' + format(r.value)).join(', ')
      : 'no data') + (sorted.length > shown.length ? ', and ' + (sorted.length - shown.length) + ' more' : '') });
  shown.forEach((row, i) => {
    const y = 4 + i * rowHeight;
    const barWidth = row.value > 0 ? Math.max(2, (row.value / max) * plot) : 0;
    svg.append(
      s('text', { class: 'label', x: labelWidth - 8, y: y + 17, 'text-anchor': 'end' },
        shorten(String(row.key), Math.floor(labelWidth / 7.5))),
      s('rect', { class: 'bar', x: labelWidth, y: y + 3, width: barWidth.toFixed(1), height: rowHeight - 8, rx: 2,
        'data-key': row.key, 'data-value': row.value }, s('title', {}, row.key + ': ' + format(row.value))),
      s('text', { class: 'value', x: labelWidth + barWidth + 6, y: y + 17 }, format(row.value)));
  });
  return svg;
}

/** Columns for points [{key:'2026-12-05', value}] in the given order, with a value axis. */
export function columnChart(points, { name, format, width = 720 }) {
  const height = 240;
  const left = 56;
  const right = 8;
  const top = 10;
  const bottom = 36;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const max = niceCeiling(Math.max(0, ...points.map((p) => p.value)));
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const svg = s('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': name + ': ' + points.length + ' days, ' + format(total) + ' in all'
      + (points.length ? ', highest ' + format(Math.max(...points.map((p) => p.value))) : '') });
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const y = top + plotHeight - (value / max) * plotHeight;
    svg.append(s('line', { class: 'grid', x1: left, x2: width - right, y1: y.toFixed(1), y2: y.toFixed(1) }),
      s('text', { class: 'axis', x: left - 6, y: (y + 4).toFixed(1), 'text-anchor': 'end' }, compact(value)));
  }
  const band = plotWidth / Math.max(1, points.length);
  const labelEvery = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(plotWidth / 56))));
  points.forEach((p, i) => {
    const barHeight = max > 0 ? (p.value / max) * plotHeight : 0;
    const x = left + i * band + band * 0.1;
    svg.append(s('rect', { class: 'bar', x: x.toFixed(1), y: (top + plotHeight - barHeight).toFixed(1),
      width: Math.max(1, band * 0.8).toFixed(1), height: barHeight.toFixed(1),
      'data-key': p.key, 'data-value': p.value },
    s('title', {}, p.key + ': ' + format(p.value))));
    if (i % labelEvery === 0) {
      svg.append(s('text', { class: 'axis', x: (left + i * band + band / 2).toFixed(1), y: height - bottom + 18,
        'text-anchor': 'middle' }, String(p.key).slice(5)));
    }
  });
  return svg;
}

/** The smallest 1, 2 or 5 times a power of ten at or above value (1 for 0). */
export function niceCeiling(value) {
  if (value <= 0) {
    return 1;
  }
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) {
      return step * power;
    }
  }
  return 10 * power;
}

function compact(value) {
  if (value >= 1e9) return trim(value / 1e9) + 'G';
  if (value >= 1e6) return trim(value / 1e6) + 'M';
  if (value >= 1e3) return trim(value / 1e3) + 'k';
  return trim(value);
}

function trim(value) {
  return String(Math.round(value * 10) / 10);
}

function shorten(text, length) {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
