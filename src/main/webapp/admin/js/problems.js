// Shows a 422 answer's problems ("openai-compatibility[0].base-url: must start with http://") next to
// the form fields they name, and every problem in a summary, without touching what the user typed.
import { h, replace } from './dom.js';

/** Splits "path: message" at the first ": " (paths hold no spaces); a problem without a path keeps ''. */
export function splitProblem(problem) {
  const at = problem.indexOf(': ');
  if (at < 0 || /\s/.test(problem.slice(0, at))) {
    return { path: '', message: problem };
  }
  return { path: problem.slice(0, at), message: problem.slice(at + 2) };
}

/**
 * The field path a problem names below prefix ('openai-compatibility[2]'), such as 'base-url' or
 * 'api-key-entries[0].proxy-url'; '' for the entry itself; null when it names something else.
 */
export function relativePath(path, prefix) {
  if (path === prefix) {
    return '';
  }
  if (path.startsWith(prefix + '.')) {
    return path.slice(prefix.length + 1);
  }
  return null;
}

/** Removes every mark a previous showProblems left in form. */
export function clearProblems(form, summary) {
  for (const note of form.querySelectorAll('.field-problem')) {
    note.remove();
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const describedBy = (input.getAttribute('aria-describedby') || '').split(' ')
      .filter((id) => id && !id.startsWith('problem-'));
    if (describedBy.length) {
      input.setAttribute('aria-describedby', describedBy.join(' '));
    } else {
      input.removeAttribute('aria-describedby');
    }
  }
  replace(summary);
}

let problemCounter = 0;

/**
 * Marks the fields of form whose data-path matches a problem below prefix (the closest enclosing path
 * when no field has the exact one), and lists all problems in summary, which takes focus.
 */
export function showProblems(form, summary, error, prefix) {
  clearProblems(form, summary);
  const problems = error.problems.length ? error.problems : [error.message];
  for (const problem of problems) {
    const { path, message } = splitProblem(problem);
    const relative = prefix === null ? null : relativePath(path, prefix);
    const input = relative === null ? null : closestField(form, relative);
    if (input) {
      const id = 'problem-' + (++problemCounter);
      // The field says where; the note says what (the summary above keeps the full path).
      const note = h('p', { class: 'problem field-problem', id }, message);
      input.setAttribute('aria-invalid', 'true');
      const describedBy = input.getAttribute('aria-describedby');
      input.setAttribute('aria-describedby', describedBy ? describedBy + ' ' + id : id);
      const holder = input.closest('.field') || (input.tagName === 'FIELDSET' ? input : null);
      if (holder) {
        holder.append(note);
      } else {
        input.after(note);
      }
    }
  }
  replace(summary, h('div', { class: 'problems', tabindex: '-1' },
    h('strong', {}, summaryTitle(error, problems.length)),
    h('ul', {}, problems.map((p) => h('li', {}, p)))));
  summary.firstChild.focus();
}

function summaryTitle(error, count) {
  if (error.status === 422) {
    return 'The gateway refused this change (' + count + (count === 1 ? ' problem' : ' problems')
      + '); nothing was saved:';
  }
  return 'Not saved (HTTP ' + error.status + (error.error ? ', ' + error.error : '') + '):';
}

function closestField(form, relative) {
  let path = relative;
  while (true) {
    const input = form.querySelector('[data-path="' + CSS.escape(path) + '"]');
    if (input) {
      return input;
    }
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) {
      return null;
    }
    path = path.slice(0, cut);
  }
}
