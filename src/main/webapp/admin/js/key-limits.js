// The limits of a client key as the page shows and edits them: the api-keys fields, what each means, and
// the "used / limit" text of GET api-keys' usage rows.

/** Every limit field of an api-keys object, with its label and the id of its input in the edit dialog. */
export const LIMIT_FIELDS = [
  { name: 'rpm', label: 'requests/min', input: 'edit-rpm', kind: 'number' },
  { name: 'tpm', label: 'tokens/min', input: 'edit-tpm', kind: 'number' },
  { name: 'max-tokens-per-month', label: 'tokens/month', input: 'edit-tokens', kind: 'number' },
  { name: 'max-cost-per-month', label: 'USD/month', input: 'edit-cost', kind: 'number' },
  { name: 'max-parallel-requests', label: 'open at once', input: 'edit-parallel', kind: 'number' },
  { name: 'expires', label: 'expires', input: 'edit-expires', kind: 'date' },
];

/** A comma-separated list as an array of trimmed, non-empty items. */
export function listOf(text) {
  return text.split(',').map((m) => m.trim()).filter(Boolean);
}

/** The value of a number input, or null when empty. */
export function numberOf(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}

/** "rpm 3 / 60; USD/month 1.2 / 50; models gpt-*" for one entry and its usage row (which may be missing). */
export function describe(entry, usage) {
  const parts = [];
  if (Array.isArray(entry.models)) {
    parts.push('models ' + entry.models.join(', '));
  }
  for (const f of LIMIT_FIELDS) {
    const limit = entry[f.name];
    if (limit === undefined || limit === null) {
      continue;
    }
    const row = usage && usage[f.name];
    parts.push(f.label + ' ' + (row ? row.used + ' / ' + limit : limit));
  }
  return parts.join('; ');
}

/** The text each dialog input starts with for entry (a time that is no plain date shows empty). */
export function initialInputs(entry) {
  const values = { 'edit-models': Array.isArray(entry.models) ? entry.models.join(', ') : '' };
  for (const f of LIMIT_FIELDS) {
    const v = entry[f.name];
    values[f.input] = v === undefined || v === null || (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v))
      ? '' : String(v);
  }
  return values;
}

/** The PATCH value for what the operator changed in the dialog: fields set, or null when cleared. */
export function changes(initial, byId) {
  const value = {};
  if (byId('edit-models').value !== initial['edit-models']) {
    const models = listOf(byId('edit-models').value);
    value.models = models.length ? models : null;
  }
  for (const f of LIMIT_FIELDS) {
    const input = byId(f.input);
    if (input.value !== initial[f.input]) {
      value[f.name] = f.kind === 'date' ? (input.value || null) : numberOf(input);
    }
  }
  return value;
}
