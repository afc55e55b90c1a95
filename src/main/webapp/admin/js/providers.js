// Providers (openai-compatibility): list, add, edit, disable, delete; reveal one upstream key on demand.
import * as api from './api.js';
import { byId, h, replace } from './dom.js';
import { confirmAction } from './dialogs.js';
import { providerForm } from './provider-form.js';
import { clearProblems, showProblems } from './problems.js';

const LIST = 'openai-compatibility';
/** A revealed key goes back to its mask after this long, in case the screen is left open. */
const REVEAL_MS = 60000;

export class ProvidersView {
  constructor(notify) {
    this.notify = notify;
    this.list = byId('provider-list');
    this.slot = byId('provider-form-slot');
    this.providers = [];
    this.openIndex = undefined;
    byId('provider-add').addEventListener('click', () => this.openForm(null));
  }

  async show() {
    await this.load();
  }

  hide() {}

  async load() {
    this.list.setAttribute('aria-busy', 'true');
    try {
      const [providers, forced] = await Promise.all([api.get(LIST), api.get('force-model-prefix')]);
      this.providers = providers.body[LIST] || [];
      this.forcePrefix = forced.body['force-model-prefix'] === true;
      this.render();
    } finally {
      this.list.removeAttribute('aria-busy');
    }
  }

  render() {
    const pools = poolSizes(this.providers, this.forcePrefix);
    replace(this.list, this.providers.length
      ? this.providers.map((p, i) => this.card(p, i, pools))
      : h('p', { class: 'muted' }, 'No providers yet. Add one to route requests.'));
  }

  card(p, index, pools) {
    const name = p.name || '(unnamed)';
    const prefix = prefixOf(p);
    const known = new Set(['name', 'disabled', 'prefix', 'base-url', 'headers', 'api-key-entries', 'models',
      'excluded-models']);
    const others = Object.entries(p).filter(([k]) => !known.has(k));
    return h('article', { class: 'card provider' + (p.disabled ? ' disabled' : ''), 'data-provider': name,
      'aria-labelledby': 'provider-' + index + '-name' },
      h('div', { class: 'provider-head' },
        h('h3', { id: 'provider-' + index + '-name' }, name,
          h('span', { class: 'pill ' + (p.disabled ? 'warn' : 'ok') }, p.disabled ? 'disabled' : 'enabled')),
        h('div', { class: 'toolbar' },
          h('button', { type: 'button', class: 'secondary', 'aria-label': 'Edit provider ' + name,
            onclick: () => this.openForm(index) }, 'Edit'),
          h('button', { type: 'button', class: 'secondary', 'aria-label': (p.disabled ? 'Enable' : 'Disable')
            + ' provider ' + name, onclick: () => this.toggle(index) }, p.disabled ? 'Enable' : 'Disable'),
          h('button', { type: 'button', class: 'danger', 'aria-label': 'Delete provider ' + name,
            onclick: () => this.remove(index) }, 'Delete'))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Base URL'), h('dd', { class: 'mono' }, p['base-url'] || '—'),
        h('dt', {}, 'Prefix'), h('dd', {}, prefix ? prefix + '/' : 'none'),
        p.headers && Object.keys(p.headers).length ? [h('dt', {}, 'Headers'),
          h('dd', { class: 'mono' }, Object.entries(p.headers).map(([k, v]) => k + ': ' + v).join(', '))] : null,
        (p['excluded-models'] || []).length ? [h('dt', {}, 'Excluded models'),
          h('dd', { class: 'mono' }, p['excluded-models'].join(', '))] : null,
        others.length ? [h('dt', {}, 'Other settings'),
          h('dd', { class: 'mono' }, others.map(([k, v]) => k + ': ' + JSON.stringify(v)).join('; '))] : null),
      this.modelsTable(p, prefix, pools),
      this.keysTable(p, index));
  }

  modelsTable(p, prefix, pools) {
    const models = p.models || [];
    if (!models.length) {
      return h('p', { class: 'muted' },
        'No models listed (requests are matched by the upstream\'s own ids, if discovered).');
    }
    return h('div', { class: 'table-wrap' }, h('table', { class: 'models' },
      h('caption', { class: 'visually-hidden' }, 'Models of ' + p.name),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Client ids'), h('th', { scope: 'col' }, 'Upstream model'))),
      h('tbody', {}, models.map((m) => h('tr', {},
        h('td', {}, clientIds(prefix, m, this.forcePrefix).map((id, i) => {
          const size = pools.get(id) || 0;
          return [i > 0 ? ', ' : null, h('span', { class: 'mono' }, id),
            size > 1 ? h('span', { class: 'pill' }, 'pool of ' + size) : null];
        })),
        h('td', { class: 'mono' }, m.name || ''))))));
  }

  keysTable(p, index) {
    const keys = p['api-key-entries'] || [];
    if (!keys.length) {
      return h('p', { class: 'muted' }, 'No upstream keys.');
    }
    return h('div', { class: 'table-wrap' }, h('table', { class: 'keys' },
      h('caption', { class: 'visually-hidden' }, 'Upstream keys of ' + p.name),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Outbound proxy'),
        h('th', { scope: 'col', class: 'num' }, 'Weight'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, keys.map((k, keyIndex) => {
        const cell = h('td', { class: 'mono secret' }, k['api-key'] || '');
        const button = h('button', { type: 'button', class: 'link', 'aria-label': 'Reveal key ' + (keyIndex + 1)
          + ' of ' + p.name }, 'Reveal');
        button.addEventListener('click', () => this.reveal(p, index, keyIndex, k['api-key'] || '', cell, button));
        return h('tr', {}, cell, h('td', { class: 'mono' }, k['proxy-url'] || 'default'),
          h('td', { class: 'num' }, k.weight === undefined ? '1' : String(k.weight)), h('td', {}, button));
      }))));
  }

  async reveal(p, index, keyIndex, masked, cell, button) {
    const hide = () => {
      clearTimeout(button.hideTimer);
      cell.textContent = masked;
      delete button.dataset.revealed;
      button.textContent = 'Reveal';
    };
    if (button.dataset.revealed) {
      hide();
      return;
    }
    try {
      const { body } = await api.call('POST', LIST + '/reveal-key',
        { json: { index, name: p.name, 'key-index': keyIndex } });
      cell.textContent = body['api-key'];
      button.dataset.revealed = 'true';
      button.textContent = 'Hide';
      button.hideTimer = setTimeout(hide, REVEAL_MS);
    } catch (e) {
      this.notify('Could not reveal the key: ' + e.message);
    }
  }

  openForm(index) {
    this.openIndex = index;
    const entry = index === null ? null : this.providers[index];
    const { form, focus } = providerForm(entry, {
      title: entry ? 'Edit provider ' + entry.name : 'Add a provider',
      onSubmit: (value, formElement, summary) => this.save(index, entry, value, formElement, summary),
      onCancel: () => this.closeForm(),
    });
    replace(this.slot, form);
    focus();
  }

  closeForm() {
    replace(this.slot);
    this.openIndex = undefined;
    byId('provider-add').focus();
  }

  async save(index, entry, value, form, summary) {
    clearProblems(form, summary);
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    let position = index;
    try {
      if (entry) {
        await api.call('PATCH', LIST, { json: { index, name: entry.name, value } });
      } else {
        const { body } = await api.get(LIST);
        const current = body[LIST] || [];
        position = current.length;
        await api.call('PUT', LIST, { json: [...current, withoutNulls(value)] });
      }
    } catch (e) {
      submit.disabled = false;
      if (e instanceof api.ApiError) {
        showProblems(form, summary, e, LIST + '[' + position + ']');
        return;
      }
      throw e;
    }
    replace(this.slot, h('p', { class: 'success', role: 'status' },
      (entry ? 'Saved ' : 'Added ') + value.name + '. The gateway runs the new config.'));
    this.openIndex = undefined;
    await this.load();
  }

  async toggle(index) {
    const p = this.providers[index];
    try {
      await api.call('PATCH', LIST, { json: { index, name: p.name, value: { disabled: !p.disabled } } });
      await this.load();
    } catch (e) {
      this.notify('Could not ' + (p.disabled ? 'enable ' : 'disable ') + p.name + ': ' + describe(e));
    }
  }

  async remove(index) {
    const p = this.providers[index];
    if (!await confirmAction('Delete provider ' + p.name + '? Its models disappear from /v1/models at once.',
      'Delete ' + p.name)) {
      return;
    }
    try {
      await api.call('DELETE', LIST + '?index=' + index);
      await this.load();
    } catch (e) {
      this.notify('Could not delete ' + p.name + ': ' + describe(e));
    }
  }
}

function describe(e) {
  return e.problems && e.problems.length ? e.problems.join('; ') : e.message;
}

/** The ids clients reach a model row under: prefix/alias, and the bare alias unless the prefix is forced. */
function clientIds(prefix, model, forcePrefix) {
  const alias = model.alias || model.name || '';
  if (!prefix) {
    return [alias];
  }
  return forcePrefix ? [prefix + '/' + alias] : [prefix + '/' + alias, alias];
}

function prefixOf(p) {
  return p.prefix ? String(p.prefix).replace(/^\/+|\/+$/g, '') : '';
}

/** How many (provider, model) rows of enabled providers answer each client id: more than one is a pool. */
function poolSizes(providers, forcePrefix) {
  const sizes = new Map();
  for (const p of providers) {
    if (p.disabled) {
      continue;
    }
    for (const m of p.models || []) {
      for (const id of clientIds(prefixOf(p), m, forcePrefix)) {
        sizes.set(id, (sizes.get(id) || 0) + 1);
      }
    }
  }
  return sizes;
}

function withoutNulls(value) {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}
