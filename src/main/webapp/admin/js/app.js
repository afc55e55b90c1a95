// The admin page: asks the management API who the caller is (whoami), shows the sign-in form when
// the management key is needed, then the views. Talks to this origin only, through api.js.
import * as api from './api.js';
import { byId } from './dom.js';
import { ProvidersView } from './providers.js';
import { StatusView } from './status.js';
import { UsageView } from './usage.js';
import { KeysView } from './keys.js';
import { ConfigView } from './config.js';

const VIEW_NAMES = ['providers', 'status', 'usage', 'keys', 'config'];
const HEALTH_PERIOD_MS = 10000;

let views = null;
let current = null;

function notify(message, kind) {
  const notice = byId('notice');
  notice.textContent = message;
  notice.className = 'notice' + (kind === 'info' ? ' info' : '');
  notice.hidden = !message;
}

/** Shows one of the page's top-level panels (sign-in, unavailable, loading) or, with null, the views. */
function showPanel(id) {
  for (const panel of ['loading', 'sign-in', 'unavailable']) {
    byId(panel).hidden = panel !== id;
  }
  byId('tabs').hidden = id !== null;
  if (id !== null) {
    leaveView();
    for (const name of VIEW_NAMES) {
      byId('view-' + name).hidden = true;
    }
  }
}

function showSignIn(message) {
  showPanel('sign-in');
  byId('sign-out').hidden = true;
  byId('who').textContent = '';
  byId('sign-in-error').textContent = message || '';
  byId('management-key').value = '';
  byId('management-key').focus();
}

function showUnavailable(text) {
  showPanel('unavailable');
  byId('unavailable-text').textContent = text;
  byId('unavailable-title').focus();
}

/** What a refusal of whoami means for the operator, in words. */
function explain(error) {
  if (error.status === 404) {
    return 'Management is off on this gateway, so this page can do nothing. Set remote-management.secret-key '
      + '(or remote-management.auth: container) in config.yaml to turn it on.';
  }
  if (error.status === 403 && error.error === 'remote management disabled') {
    return 'The gateway accepts the management key only from its own machine (remote-management.allow-remote: '
      + 'false). Open this page through localhost, for example over an SSH tunnel.';
  }
  return 'The gateway refused: ' + error.message;
}

async function whoAmI(afterSignIn) {
  const hadKey = Boolean(api.storedKey());
  try {
    const { body } = await api.get('whoami', { quiet401: true });
    signedIn(body);
  } catch (e) {
    if (!(e instanceof api.ApiError)) {
      showUnavailable('Cannot reach the gateway: ' + e.message);
      return;
    }
    if (e.status === 401) {
      api.forgetKey();
      showSignIn(afterSignIn ? 'That key was not accepted (' + e.error + ').'
        : hadKey ? 'The management key is no longer accepted; sign in again.' : '');
    } else if (e.status === 403 && afterSignIn) {
      api.forgetKey();
      showSignIn(explain(e));
    } else {
      showUnavailable(explain(e));
    }
  }
}

function signedIn(who) {
  byId('version').textContent = who.version ? 'version ' + who.version : '';
  const byContainer = who.auth === 'container';
  byId('who').textContent = byContainer ? 'Signed in as ' + (who.user || 'a container user')
    : 'Signed in with the management key' + (who.user ? ' (' + who.user + ')' : '');
  byId('sign-out').hidden = byContainer;
  showPanel(null);
  if (!views) {
    views = {
      providers: new ProvidersView(notify),
      status: new StatusView(notify),
      usage: new UsageView(notify),
      keys: new KeysView(notify),
      config: new ConfigView(notify),
    };
  }
  route(false);
}

/** Wipes what the views loaded (a revealed key, config.yaml), so nothing stays behind the sign-in form. */
function forgetLoadedData() {
  const loaded = ['provider-list', 'provider-form-slot', 'status-list', 'usage-table', 'key-list', 'config-problems'];
  for (const id of loaded) {
    byId(id).replaceChildren();
  }
  for (const chart of document.querySelectorAll('.chart-body')) {
    chart.replaceChildren();
  }
  byId('config-text').value = '';
}

function leaveView() {
  if (current && views) {
    views[current].hide();
  }
  current = null;
}

/** Shows the view named by the location's hash (#providers by default). */
async function route(moveFocus) {
  if (!views || byId('tabs').hidden) {
    return;
  }
  const wanted = location.hash.slice(1);
  const name = VIEW_NAMES.includes(wanted) ? wanted : 'providers';
  leaveView();
  for (const other of VIEW_NAMES) {
    byId('view-' + other).hidden = other !== name;
  }
  for (const link of document.querySelectorAll('#tabs a')) {
    if (link.dataset.view === name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  current = name;
  if (moveFocus) {
    byId(name + '-title').focus();
  }
  notify('');
  try {
    await views[name].show();
  } catch (e) {
    if (e.status !== 401) {
      notify('Could not load ' + name + ': ' + e.message);
    }
  }
}

async function health() {
  const pill = byId('health');
  try {
    const response = await fetch(api.gatewayUrl('healthz'), { cache: 'no-store', referrerPolicy: 'no-referrer' });
    const body = await response.json().catch(() => ({}));
    // state: memory (one instance), redis (shared) or degraded (Redis not answering: served, but not shared).
    const degraded = body.state === 'degraded';
    pill.textContent = response.ok ? (degraded ? 'healthy, shared state degraded' : 'healthy')
      : 'unhealthy: ' + (body.status || response.status);
    pill.title = body.state ? 'shared state: ' + body.state : '';
    pill.className = 'pill ' + (response.ok ? (degraded ? 'warn' : 'ok') : 'bad');
  } catch (e) {
    pill.textContent = 'gateway unreachable';
    pill.className = 'pill bad';
  }
  setTimeout(health, HEALTH_PERIOD_MS);
}

function start() {
  byId('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = byId('management-key').value.trim();
    if (!key) {
      byId('sign-in-error').textContent = 'Enter the management key.';
      return;
    }
    api.storeKey(key);
    byId('management-key').value = '';
    whoAmI(true);
  });
  byId('sign-out').addEventListener('click', () => {
    api.forgetKey();
    // A fresh page holds nothing of what the signed-in views loaded.
    location.reload();
  });
  api.onUnauthorized(() => {
    api.forgetKey();
    forgetLoadedData();
    showSignIn('The management key is no longer accepted; sign in again.');
  });
  window.addEventListener('hashchange', () => route(true));
  health();
  whoAmI(false);
}

start();
