// The add/edit form of one openai-compatibility entry. It edits the fields the page knows and keeps
// every other setting of the entry (and of each key and model) as it was. Masked keys left as they are
// keep the stored secret (the management API puts it back).
import { h, field } from './dom.js';

let formCounter = 0;

/** Builds the form for entry (null for a new provider); onSubmit(value) and onCancel() are called back. */
export function providerForm(entry, { onSubmit, onCancel, title }) {
  const n = ++formCounter;
  const original = entry || {};
  const id = (name) => 'pf' + n + '-' + name;

  const name = field(id('name'), 'Name', h('input', { 'data-path': 'name', value: original.name || '',
    autocomplete: 'off', required: true, spellcheck: 'false' }));
  const baseUrl = field(id('base-url'), 'Base URL', h('input', { 'data-path': 'base-url', type: 'text',
    inputmode: 'url', value: original['base-url'] || '', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'https://api.example.com/v1' }));
  const prefix = field(id('prefix'), 'Prefix (optional)', h('input', { 'data-path': 'prefix',
    value: original.prefix || '', autocomplete: 'off', spellcheck: 'false' }));
  const disabled = h('input', { type: 'checkbox', id: id('disabled'), 'data-path': 'disabled',
    checked: original.disabled === true });
  const excluded = field(id('excluded'), 'Excluded models (one per line; * wildcards)', h('textarea', {
    'data-path': 'excluded-models', rows: 3, spellcheck: 'false' }));
  excluded.input.value = (original['excluded-models'] || []).join('\n');

  const models = rowList('models', 'Models', 'Add model', [
    { key: 'name', label: 'Upstream model' },
    { key: 'alias', label: 'Client id (alias)' },
  ], original.models || [], id('m'));
  const keys = rowList('api-key-entries', 'Upstream keys', 'Add key', [
    { key: 'api-key', label: 'API key', hint: 'masked; keep it or type a new key' },
    { key: 'proxy-url', label: 'Proxy URL (optional)', placeholder: 'socks5://host:1080, direct' },
    { key: 'weight', label: 'Weight (optional)', type: 'number' },
  ], original['api-key-entries'] || [], id('k'));
  const headerItems = Object.entries(original.headers || {}).map(([k, v]) => ({ header: k, value: v }));
  const headers = rowList('headers', 'Extra headers', 'Add header', [
    { key: 'header', label: 'Header' },
    { key: 'value', label: 'Value', hint: '$Header-Name copies the client\'s header' },
  ], headerItems, id('h'), (row, values) => 'headers.' + values.header);

  const summary = h('div', { class: 'form-summary' });
  const form = h('form', { class: 'provider-form card', novalidate: true, 'aria-labelledby': id('title') },
    h('h3', { id: id('title'), tabindex: '-1' }, title),
    summary,
    h('div', { class: 'form-grid' }, name.field, baseUrl.field, prefix.field,
      h('div', { class: 'field' }, h('label', { class: 'inline', for: id('disabled') }, disabled, 'Disabled'))),
    models.fieldset, keys.fieldset, headers.fieldset,
    h('div', { class: 'form-grid' }, excluded.field),
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit' }, entry ? 'Save changes' : 'Add provider'),
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel')));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = {
      name: name.input.value.trim(),
      'base-url': baseUrl.input.value.trim(),
      prefix: prefix.input.value.trim() || null,
      'excluded-models': listOrNull(excluded.input.value.split('\n').map((s) => s.trim()).filter(Boolean)),
      models: listOrNull(models.collect((values) => withText(values, ['name', 'alias']))),
      'api-key-entries': listOrNull(keys.collect((values) => {
        const entryValue = withText(values, ['api-key', 'proxy-url']);
        entryValue.weight = wholeNumberOrText(values.weight);
        return entryValue;
      })),
      headers: headersOrNull(headers.collect((values) => values)),
    };
    if (entry || disabled.checked) {
      value.disabled = disabled.checked;
    }
    onSubmit(value, form, summary);
  });
  return { form, focus: () => name.input.focus() };
}

/**
 * A fieldset of repeated rows (models, keys, headers). Each row remembers the item it was built from,
 * so settings the form does not show survive; data-path follows the row's position for problems.
 */
function rowList(listName, legend, addLabel, columns, items, idBase, pathOf) {
  const rows = h('div', { class: 'rows' });
  const fieldset = h('fieldset', { 'data-path': listName },
    h('legend', {}, legend), rows,
    h('button', { type: 'button', class: 'secondary', onclick: () => addRow({}, true) }, addLabel));
  let rowCounter = 0;

  function pathFor(row, index, key) {
    if (pathOf) {
      return pathOf(row, readRow(row));
    }
    return listName + '[' + index + '].' + key;
  }

  function renumber() {
    [...rows.children].forEach((row, index) => {
      for (const input of row.querySelectorAll('[data-key]')) {
        input.setAttribute('data-path', pathFor(row, index, input.dataset.key));
      }
      row.querySelector('button.remove').setAttribute('aria-label',
        'Remove ' + legend.toLowerCase() + ' row ' + (index + 1));
    });
  }

  function readRow(row) {
    const values = {};
    for (const input of row.querySelectorAll('[data-key]')) {
      values[input.dataset.key] = input.value.trim();
    }
    return values;
  }

  function addRow(item, focus) {
    const r = ++rowCounter;
    const inputs = columns.map((column) => {
      const raw = item[column.key];
      const f = field(idBase + '-' + r + '-' + column.key, column.label, h('input', {
        'data-key': column.key, type: column.type || 'text', autocomplete: 'off', spellcheck: 'false',
        value: raw === undefined || raw === null ? '' : String(raw), placeholder: column.placeholder || null,
        title: column.hint || null }));
      if (pathOf) {
        f.input.addEventListener('input', renumber);
      }
      return f;
    });
    const row = h('div', { class: 'row' }, inputs.map((f) => f.field),
      h('button', { type: 'button', class: 'secondary remove', onclick: () => { row.remove(); renumber(); } },
        'Remove'));
    row.origin = item;
    rows.append(row);
    renumber();
    if (focus) {
      inputs[0].input.focus();
    }
  }

  items.forEach((item) => addRow(item, false));
  return {
    fieldset,
    /** Each row's values made into an item by make(values), over the item the row came from. */
    collect(make) {
      return [...rows.children].map((row) => {
        const made = make(readRow(row));
        const merged = { ...row.origin };
        for (const column of columns) {
          delete merged[column.key];
        }
        for (const [k, v] of Object.entries(made)) {
          if (v !== undefined && v !== '') {
            merged[k] = v;
          }
        }
        return merged;
      }).filter((item) => Object.keys(item).length > 0);
    },
  };
}

function withText(values, keys) {
  const out = {};
  for (const key of keys) {
    if (values[key]) {
      out[key] = values[key];
    }
  }
  return out;
}

/** A whole number as a number; anything else as typed, for the gateway to refuse with its own words. */
function wholeNumberOrText(text) {
  if (!text) {
    return undefined;
  }
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function listOrNull(list) {
  return list.length ? list : null;
}

function headersOrNull(rows) {
  const headers = {};
  for (const row of rows) {
    if (row.header) {
      headers[row.header] = row.value || '';
    }
  }
  return Object.keys(headers).length ? headers : null;
}
