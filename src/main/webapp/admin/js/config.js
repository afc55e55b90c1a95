// The raw config.yaml, secrets masked, editable with the same validation as every management write.
import * as api from './api.js';
import { byId, h, replace } from './dom.js';
import { clearProblems, showProblems } from './problems.js';

export class ConfigView {
  constructor(notify) {
    this.notify = notify;
    this.text = byId('config-text');
    this.problems = byId('config-problems');
    this.section = byId('view-config');
    this.dirty = false;
    this.loaded = false;
    this.text.addEventListener('input', () => { this.dirty = true; });
    byId('config-reload').addEventListener('click', () => this.load());
    byId('config-save').addEventListener('click', () => this.save());
  }

  /** Keeps unsaved edits when the operator comes back from another view. */
  async show() {
    if (!this.loaded || !this.dirty) {
      await this.load();
    }
  }

  hide() {}

  async load() {
    clearProblems(this.section, this.problems);
    try {
      const { body } = await api.get('config.yaml');
      this.text.value = body;
      this.dirty = false;
      this.loaded = true;
    } catch (e) {
      replace(this.problems, h('p', { class: 'problems' }, e.status === 404
        ? 'The gateway has no config.yaml file yet; saving creates it.' : 'Could not load config.yaml: ' + e.message));
    }
  }

  async save() {
    clearProblems(this.section, this.problems);
    const button = byId('config-save');
    button.disabled = true;
    try {
      await api.call('PUT', 'config.yaml', { text: this.text.value, contentType: 'application/yaml; charset=utf-8' });
    } catch (e) {
      if (e instanceof api.ApiError) {
        this.text.setAttribute('aria-invalid', 'true');
        showProblems(this.section, this.problems, e, null);
        return;
      }
      throw e;
    } finally {
      button.disabled = false;
    }
    await this.load();
    replace(this.problems, h('p', { class: 'success', role: 'status' }, 'Saved. The gateway runs the new config.'));
  }
}
