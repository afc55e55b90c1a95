// Client keys (api-keys): listed masked; deletable; created here (the clear key shown once) only when
// the gateway's API offers POST /v0/management/api-keys.
import * as api from './api.js';
import { byId, h, replace } from './dom.js';
import { confirmAction, showSecretOnce } from './dialogs.js';

const LIMITS = ['models', 'rpm', 'tpm', 'max-tokens-per-month', 'max-cost-per-month', 'expires'];

export class KeysView {
  constructor(notify) {
    this.notify = notify;
    this.list = byId('key-list');
    this.form = byId('key-create-form');
    this.createButton = byId('key-create');
    this.note = byId('key-create-note');
    this.error = byId('key-create-error');
    this.canCreate = false;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.create();
    });
  }

  async show() {
    await Promise.all([this.load(), this.probeCreate()]);
  }

  hide() {}

  async load() {
    const { body } = await api.get('api-keys');
    this.keys = body['api-keys'] || [];
    replace(this.list, this.keys.length ? this.table() : h('p', { class: 'muted' },
      'No client keys: anyone who reaches /v1/* may use the gateway (unless the container signs users in).'));
  }

  table() {
    return h('table', { id: 'client-keys' },
      h('caption', { class: 'visually-hidden' }, 'Client keys'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Name'),
        h('th', { scope: 'col' }, 'Limits'), h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, this.keys.map((entry, index) => {
        const k = typeof entry === 'string' ? { key: entry } : entry || {};
        const shown = k.key || (k['key-sha256'] ? 'sha256 ' + String(k['key-sha256']).slice(0, 12) + '…' : '');
        const limits = LIMITS.filter((l) => k[l] !== undefined && k[l] !== null)
          .map((l) => l + ': ' + (Array.isArray(k[l]) ? k[l].join(', ') : k[l])).join('; ');
        return h('tr', {}, h('td', { class: 'mono' }, shown), h('td', {}, k.name || '—'),
          h('td', {}, limits || 'none'), h('td', {}, k.disabled ? 'disabled' : 'active'),
          h('td', {}, h('button', { type: 'button', class: 'link',
            'aria-label': 'Delete client key ' + (k.name || shown),
            onclick: () => this.remove(index, k.name || shown) }, 'Delete')));
      })));
  }

  /** Creation waits for the API: enabled only when OPTIONS on api-keys lists POST. */
  async probeCreate() {
    let allowed = false;
    try {
      const { headers } = await api.call('OPTIONS', 'api-keys');
      allowed = (headers.get('Allow') || '').split(',').some((m) => m.trim().toUpperCase() === 'POST');
    } catch (e) {
      allowed = false;
    }
    this.canCreate = allowed;
    this.createButton.disabled = !allowed;
    this.note.textContent = allowed ? 'The new key is shown once.'
      : 'Creating keys here needs a gateway whose management API offers POST /v0/management/api-keys; '
        + 'until then add keys to api-keys in config.yaml.';
  }

  async create() {
    if (!this.canCreate) {
      return;
    }
    this.error.textContent = '';
    const name = byId('key-name').value.trim();
    const models = byId('key-models').value.split(',').map((m) => m.trim()).filter(Boolean);
    const request = {};
    if (name) request.name = name;
    if (models.length) request.models = models;
    try {
      const { body } = await api.call('POST', 'api-keys', { json: request });
      const clear = typeof body === 'string' ? body : body.key || body['api-key'];
      this.form.reset();
      await this.load();
      if (clear) {
        showSecretOnce(clear);
      } else {
        this.notify('The key was created, but the gateway did not answer it in clear.');
      }
    } catch (e) {
      this.error.textContent = 'Not created: ' + (e.problems && e.problems.length ? e.problems.join('; ') : e.message);
    }
  }

  async remove(index, label) {
    if (!await confirmAction('Delete client key ' + label + '? Clients using it are refused at once.', 'Delete key')) {
      return;
    }
    try {
      await api.call('DELETE', 'api-keys?index=' + index);
      await this.load();
    } catch (e) {
      this.notify('Could not delete the key: ' + e.message);
    }
  }
}
