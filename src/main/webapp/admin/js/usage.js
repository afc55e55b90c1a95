// Usage for a period: charts per model, client and day, and a totals table downloadable as CSV.
import * as api from './api.js';
import { byId, h, replace } from './dom.js';
import { barChart, columnChart } from './charts.js';
import { cell, fillDays, fromLive, isDurable, presentColumns, toCsv } from './usage-data.js';

const DAY_MS = 86400000;

export class UsageView {
  constructor(notify) {
    this.notify = notify;
    this.from = byId('usage-from');
    this.to = byId('usage-to');
    this.metric = byId('usage-metric');
    this.group = byId('usage-group');
    this.note = byId('usage-note');
    this.tableSlot = byId('usage-table');
    this.data = null;
    const today = isoDay(new Date());
    this.to.value = today;
    this.from.value = isoDay(new Date(Date.parse(today) - 30 * DAY_MS));
    byId('usage-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.load();
    });
    this.metric.addEventListener('change', () => this.draw());
    this.group.addEventListener('change', () => this.drawTable());
    byId('usage-csv').addEventListener('click', () => this.download());
    // Charts are drawn at their pixel width: draw again when it changes (window resized, phone turned).
    let lastWidth = 0;
    new ResizeObserver((entries) => {
      const width = Math.round(entries[0].contentRect.width);
      if (width !== lastWidth) {
        lastWidth = width;
        requestAnimationFrame(() => this.drawCharts());
      }
    }).observe(byId('chart-day'));
  }

  async show() {
    await this.load();
  }

  hide() {}

  async load() {
    const from = this.from.value;
    const to = this.to.value;
    if (!from || !to || from > to) {
      this.note.textContent = 'Choose a period whose start is on or before its end.';
      return;
    }
    const query = (group) => 'usage?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to)
      + '&group-by=' + group;
    try {
      const first = await api.get(query('model'));
      if (isDurable(first.body)) {
        const others = await Promise.all(['client', 'day', 'provider', 'upstream-model']
          .map((g) => api.get(query(g))));
        this.data = {
          durable: true, from: first.body.from || from, to: first.body.to || to, totals: first.body.totals,
          groups: { model: first.body.rows, client: others[0].body.rows, day: others[1].body.rows,
            provider: others[2].body.rows, 'upstream-model': others[3].body.rows },
        };
        this.note.textContent = 'Usage from ' + this.data.from + ' to ' + this.data.to + ' (UTC days).';
      } else {
        const live = fromLive(first.body);
        this.data = { durable: false, groups: live.groups, totals: live.totals, since: live.since };
        this.note.textContent = 'This gateway serves no usage history, so the period does not apply: these are '
          + 'the counts since ' + new Date(live.since).toLocaleString() + '.';
      }
    } catch (e) {
      this.note.textContent = 'Could not load usage: ' + e.message;
      return;
    }
    for (const option of this.group.options) {
      option.disabled = !this.data.groups[option.value];
    }
    if (!this.data.groups[this.group.value]) {
      this.group.value = 'model';
    }
    this.draw();
  }

  draw() {
    this.drawCharts();
    this.drawTable();
  }

  drawCharts() {
    if (!this.data) {
      return;
    }
    const metric = this.metric.value;
    const label = this.metric.options[this.metric.selectedIndex].text;
    const format = (value) => cell(metric, value);
    const values = (rows) => rows.map((r) => ({ key: r.key, value: Number(r[metric] || 0) }));
    const body = (id) => byId(id).querySelector('.chart-body');
    const chart = (id, content) => replace(body(id), content);
    const width = (id) => Math.max(240, Math.round(body(id).clientWidth) || 600);
    const empty = (text) => h('p', { class: 'empty' }, text);
    const { groups } = this.data;
    chart('chart-model', groups.model.length
      ? barChart(values(groups.model), { name: label + ' per model', format, width: width('chart-model') })
      : empty('No requests.'));
    chart('chart-client', groups.client.length
      ? barChart(values(groups.client), { name: label + ' per client', format, width: width('chart-client') })
      : empty('No requests.'));
    chart('chart-day', this.data.durable
      ? columnChart(fillDays(groups.day, this.data.from, this.data.to, metric),
        { name: label + ' per day', format, width: width('chart-day') })
      : empty('Per-day usage needs the gateway\'s durable usage records.'));
  }

  drawTable() {
    if (!this.data) {
      return;
    }
    const group = this.group.value;
    const rows = this.data.groups[group] || [];
    const columns = presentColumns(rows, this.data.totals);
    replace(this.tableSlot, h('table', { id: 'usage-totals' },
      h('caption', { class: 'visually-hidden' }, 'Usage per ' + group),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, group),
        columns.map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', { 'data-key': r.key },
        h('th', { scope: 'row', class: 'mono' }, r.key),
        columns.map((c) => h('td', { class: 'num' }, cell(c, r[c])))))
        : h('tr', {}, h('td', { colspan: columns.length + 1, class: 'muted' }, 'No requests in this period.'))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Total'),
        columns.map((c) => h('td', { class: 'num' }, cell(c, this.data.totals[c])))))));
  }

  download() {
    if (!this.data) {
      return;
    }
    const group = this.group.value;
    const rows = this.data.groups[group] || [];
    const csv = toCsv(group, rows, this.data.totals, presentColumns(rows, this.data.totals));
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const period = this.data.durable ? this.data.from + '_' + this.data.to
      : 'since-' + String(this.data.since).slice(0, 10);
    const link = h('a', { href: url, download: 'llm-proxy-usage-per-' + group + '-' + period + '.csv', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}
