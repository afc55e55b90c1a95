// Live state: which upstream keys and models rest right now, and how full this instance is (upstream-status),
// refreshed every 5 s while this view is open and the tab is visible.
import * as api from './api.js';
import { byId, h, replace } from './dom.js';

const PERIOD_MS = 5000;

export class StatusView {
  constructor(notify) {
    this.notify = notify;
    this.list = byId('status-list');
    this.summary = byId('status-summary');
    this.capacity = byId('status-capacity');
    this.updated = byId('status-updated');
    this.auto = byId('status-auto');
    this.timer = null;
    this.visible = false;
    byId('status-refresh').addEventListener('click', () => this.refresh());
    this.auto.addEventListener('change', () => this.schedule());
    document.addEventListener('visibilitychange', () => this.schedule());
  }

  async show() {
    this.visible = true;
    await this.refresh();
  }

  hide() {
    this.visible = false;
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.visible && this.auto.checked && document.visibilityState === 'visible') {
      this.timer = setTimeout(() => this.refresh(), PERIOD_MS);
    }
  }

  async refresh() {
    clearTimeout(this.timer);
    try {
      const { body } = await api.get('upstream-status');
      this.render(body);
      this.updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      this.updated.textContent = 'Could not refresh: ' + e.message;
      if (e.status === 401) {
        return;
      }
    }
    this.schedule();
  }

  render(body) {
    const providers = body.providers || [];
    let keys = 0;
    let coolingKeys = 0;
    let restingModels = 0;
    for (const p of providers) {
      for (const k of p.keys || []) {
        keys++;
        coolingKeys += k.cooling ? 1 : 0;
        restingModels += (k.models || []).length;
      }
    }
    const text = coolingKeys || restingModels
      ? coolingKeys + (coolingKeys === 1 ? ' key' : ' keys') + ' cooling, ' + restingModels
        + (restingModels === 1 ? ' model' : ' models') + ' resting on a key.'
      : 'All ' + keys + (keys === 1 ? ' key is' : ' keys are') + ' ready.';
    // Changed only when it changes, so screen readers announce news rather than every refresh.
    if (this.summary.textContent !== text) {
      this.summary.textContent = text;
    }
    replace(this.capacity, capacity(body['open-requests'], body['gateway-busy'] || []));
    replace(this.list, providers.length ? providers.map((p) => card(p))
      : h('p', { class: 'muted' }, 'No providers are configured.'));
  }
}

function card(p) {
  return h('article', { class: 'card provider' + (p.disabled ? ' disabled' : ''), 'data-provider': p.name },
    h('div', { class: 'provider-head' }, h('h3', {}, p.name,
      p.disabled ? h('span', { class: 'pill warn' }, 'disabled') : null)),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Keys of ' + p.name),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Proxy'),
        h('th', { scope: 'col' }, 'Key state'), h('th', { scope: 'col' }, 'Models resting'))),
      h('tbody', {}, (p.keys || []).map((k) => h('tr', { 'data-key': k.key },
        h('td', { class: 'mono' }, k.key), h('td', { class: 'mono' }, k.proxy),
        h('td', {}, k.cooling ? h('span', { class: 'state-cooling' }, 'cooling ' + window_(k.cooling))
          : h('span', { class: 'state-ready' }, 'ready')),
        h('td', {}, (k.models || []).length
          ? h('ul', { class: 'plain' }, k.models.map((m) => h('li', { class: 'state-cooling' },
            h('span', { class: 'mono' }, m.model), ' ' + window_(m))))
          : '—')))))));
}

/**
 * "Requests open now: 3 of 9,500 this instance holds. 2 refused as over that limit, the last at 12:00:30.", and
 * a line per provider whose connection pool was full. Refusals are the gateway's own limits, never a provider's.
 */
function capacity(open, busy) {
  const lines = [];
  if (open) {
    let text = 'Requests open now: ' + open.open.toLocaleString('en')
      + (open.limit == null ? '' : ' of ' + open.limit.toLocaleString('en') + ' this instance holds') + '.';
    if (open.refused > 0) {
      text += ' ' + open.refused.toLocaleString('en') + ' refused as over that limit (503 gateway_busy), the last at '
        + new Date(open['last-refused']).toLocaleTimeString() + '.';
    }
    lines.push(h('p', { id: 'status-open', class: open.refused > 0 ? 'state-cooling' : 'muted' }, text));
  }
  for (const b of busy) {
    lines.push(h('p', { class: 'state-cooling', 'data-busy-provider': b.provider },
      'The connection pool toward ' + b.provider + ' was full: ' + b.refused.toLocaleString('en')
      + ' refused (503 gateway_busy), the last at ' + new Date(b.last).toLocaleTimeString() + '.'));
  }
  return lines;
}

/** "until 12:00:30 (28 s left): rate limit (HTTP 429)". */
function window_(w) {
  const until = new Date(w.until);
  return 'until ' + until.toLocaleTimeString() + ' (' + w['seconds-left'] + ' s left): ' + w.reason;
}
