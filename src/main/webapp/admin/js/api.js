// The management API client. Every URL is relative to this file, so the page works under any context
// path; calls go to this origin only. The management key lives in this tab's sessionStorage (never
// localStorage, never a URL) and is sent as X-Management-Key, leaving Authorization to the container
// (a BASIC realm or SSO in front of the gateway may use it).

const ROOT = new URL('../../', import.meta.url);
const KEY_ITEM = 'llmproxy.admin.management-key';

/** A refused management call, with the server's flat error body. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && typeof body === 'object' ? body.error : null;
    const detail = body && typeof body === 'object' ? body.message : null;
    super(detail || error || (typeof body === 'string' && body) || 'HTTP ' + status);
    this.status = status;
    this.error = error || '';
    this.problems = body && Array.isArray(body.problems) ? body.problems : [];
  }
}

export function storedKey() {
  try {
    return sessionStorage.getItem(KEY_ITEM);
  } catch (e) {
    return null;
  }
}

export function storeKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
}

const unauthorizedListeners = [];

/** Called with the ApiError whenever a call comes back 401 (the key changed, or the session ended). */
export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

/** The absolute URL of a gateway path relative to the context root, such as 'healthz'. */
export function gatewayUrl(path) {
  return new URL(path, ROOT);
}

/**
 * Calls /v0/management/{path}. options: json (a value sent as JSON), text (sent as is), contentType,
 * quiet401 (do not notify listeners). Answers {status, body, headers}; throws ApiError unless 2xx.
 */
export async function call(method, path, options = {}) {
  const headers = {};
  const key = storedKey();
  if (key) {
    headers['X-Management-Key'] = key;
  }
  let body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['Content-Type'] = options.contentType || 'text/plain; charset=utf-8';
    body = options.text;
  }
  const response = await fetch(gatewayUrl('v0/management/' + path), {
    method,
    headers,
    body,
    cache: 'no-store',
    credentials: 'same-origin',
    // A container SSO filter answers an expired session with a redirect to its login page.
    redirect: 'manual',
    referrerPolicy: 'no-referrer',
  });
  if (response.type === 'opaqueredirect') {
    throw new ApiError(0, 'the container redirected this call (signed out?); reload the page to sign in again');
  }
  const parsed = await readBody(response);
  if (!response.ok) {
    const error = new ApiError(response.status, parsed);
    if (response.status === 401 && !options.quiet401) {
      unauthorizedListeners.forEach((listener) => listener(error));
    }
    throw error;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

async function readBody(response) {
  const text = await response.text();
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json') && text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return text;
    }
  }
  return text;
}

export const get = (path, options) => call('GET', path, options);
