// Client keys (api-keys): listed masked with their limits and what is used of them; created here (the clear
// key shown once), their limits edited, disabled, enabled and deleted, through /v0/management/api-keys.
import * as api from './api.js';
import { byId, h, replace } from './dom.js';
import { confirmAction, showSecretOnce } from './dialogs.js';
import { changes, describe, initialInputs, listOf, numberOf } from './key-limits.js';

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
    this.editDialog = byId('key-edit-dialog');
    byId('key-edit-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.saveLimits();
    });
    byId('key-edit-cancel').addEventListener('click', () => this.editDialog.close());
  }

  async show() {
    await Promise.all([this.load(), this.probeCreate()]);
  }

  hide() {}

  async load() {
    const { body } = await api.get('api-keys');
    this.keys = body['api-keys'] || [];
    this.usage = body.usage || [];
    replace(this.list, this.keys.length ? this.table() : h('p', { class: 'muted' },
      'No client keys: anyone who reaches /v1/* may use the gateway (unless the container signs users in).'));
  }

  /** The usage row of an entry: by name, as the running config names its keys. */
  usageOf(k) {
    return k.name ? this.usage.find((u) => u.name === k.name) : undefined;
  }

  table() {
    return h('table', { id: 'client-keys' },
      h('caption', { class: 'visually-hidden' }, 'Client keys'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Name'),
        h('th', { scope: 'col' }, 'Limits (used / limit)'), h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, this.keys.map((entry, index) => this.row(entry, index))));
  }

  row(entry, index) {
    const k = typeof entry === 'string' ? { key: entry } : entry || {};
    const shown = k.key || (k['key-sha256'] ? 'sha256 ' + String(k['key-sha256']) : '');
    const label = k.name || shown;
    const usage = this.usageOf(k);
    const state = usage ? usage.state : (k.disabled ? 'disabled' : 'active');
    return h('tr', {}, h('td', { class: 'mono' }, shown), h('td', {}, k.name || '—'),
      h('td', {}, describe(k, usage) || 'none'), h('td', {}, state),
      h('td', {},
        h('button', { type: 'button', class: 'link', 'aria-label': 'Edit the limits of client key ' + label,
          onclick: () => this.editLimits(index, k) }, 'Limits'), ' ',
        h('button', { type: 'button', class: 'link',
          'aria-label': (k.disabled ? 'Enable' : 'Disable') + ' client key ' + label,
          onclick: () => this.setDisabled(index, label, !k.disabled) }, k.disabled ? 'Enable' : 'Disable'), ' ',
        h('button', { type: 'button', class: 'link', 'aria-label': 'Delete client key ' + label,
          onclick: () => this.remove(index, label) }, 'Delete')));
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
    this.note.textContent = allowed ? 'The new key is shown once; the gateway keeps only its hash.'
      : 'Creating keys here needs a gateway whose management API offers POST /v0/management/api-keys; '
        + 'until then add keys to api-keys in config.yaml.';
  }

  async create() {
    if (!this.canCreate) {
      return;
    }
    this.error.textContent = '';
    const name = byId('key-name').value.trim();
    if (!name) {
      this.error.textContent = 'Not created: give the key a name (it names the key in logs and usage).';
      byId('key-name').focus();
      return;
    }
    const request = { name };
    const models = listOf(byId('key-models').value);
    if (models.length) request.models = models;
    // Each limit input is named after its api-keys field; an empty one sets nothing.
    for (const id of ['key-rpm', 'key-tpm', 'key-cost', 'key-parallel']) {
      const input = byId(id);
      const value = numberOf(input);
      if (value !== null) request[input.name] = value;
    }
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

  editLimits(index, entry) {
    this.editing = { index, initial: initialInputs(entry) };
    for (const [id, value] of Object.entries(this.editing.initial)) {
      byId(id).value = value;
    }
    byId('key-edit-error').textContent = '';
    this.editDialog.showModal();
    byId('edit-models').focus();
  }

  async saveLimits() {
    const value = changes(this.editing.initial, byId);
    if (!Object.keys(value).length) {
      this.editDialog.close();
      return;
    }
    try {
      await api.call('PATCH', 'api-keys', { json: { index: this.editing.index, value } });
      this.editDialog.close();
      await this.load();
    } catch (e) {
      byId('key-edit-error').textContent = 'Not saved: '
        + (e.problems && e.problems.length ? e.problems.join('; ') : e.message);
    }
  }

  async setDisabled(index, label, disabled) {
    if (disabled && !await confirmAction('Disable client key ' + label + '? Its clients are refused at once.',
      'Disable key')) {
      return;
    }
    try {
      await api.call('PATCH', 'api-keys', { json: { index, value: { disabled: disabled ? true : null } } });
      await this.load();
    } catch (e) {
      this.notify('Could not ' + (disabled ? 'disable' : 'enable') + ' the key: ' + e.message);
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
