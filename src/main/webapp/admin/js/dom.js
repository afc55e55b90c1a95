// Small DOM helpers. Text always goes in as text nodes, never as HTML, so nothing the gateway returns
// (provider names, keys, problems) can inject markup.

/** Creates an element: attrs may hold class, for, on<Event> handlers, aria-* and data-* attributes. */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element the same way. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && 'value' in element && element.namespaceURI !== SVG_NS) {
      element.value = value;
    } else if (name === 'checked' || name === 'disabled' || name === 'hidden' || name === 'selected') {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else if (child instanceof Node) {
      element.appendChild(child);
    } else {
      element.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces every child of element with children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error('missing element #' + id);
  }
  return element;
}

/** A labelled input in a .field wrapper; returns {field, input}. */
export function field(id, label, input) {
  input.id = id;
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), input), input };
}

/** Formats a whole number with thousands separators. */
export function number(value) {
  return Number(value || 0).toLocaleString('en-US');
}
