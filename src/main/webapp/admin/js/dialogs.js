// Modal dialogs built on <dialog> (focus is trapped and restored by the browser; Escape cancels).
import { byId } from './dom.js';

/** Asks to confirm; resolves true only for the confirm button. */
export function confirmAction(text, confirmLabel) {
  const dialog = byId('confirm-dialog');
  byId('confirm-text').textContent = text;
  const ok = byId('confirm-ok');
  ok.textContent = confirmLabel;
  return new Promise((resolve) => {
    const finish = (answer) => {
      ok.removeEventListener('click', onOk);
      byId('confirm-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) {
        dialog.close();
      }
      resolve(answer);
    };
    const onOk = () => finish(true);
    const onCancel = () => finish(false);
    const onClose = () => finish(false);
    ok.addEventListener('click', onOk);
    byId('confirm-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    byId('confirm-cancel').focus();
  });
}

/** Shows a secret once, with a copy button; the value is wiped from the page when the dialog closes. */
export function showSecretOnce(secret) {
  const dialog = byId('new-key-dialog');
  const input = byId('new-key-value');
  const status = byId('new-key-copied');
  input.value = secret;
  status.textContent = '';
  const copy = async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = 'Copied to the clipboard.';
    } catch (e) {
      // No clipboard API outside secure contexts: the text is selected for Ctrl+C instead.
      status.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected key.';
    }
  };
  const done = () => dialog.close();
  const onClose = () => {
    input.value = '';
    byId('new-key-copy').removeEventListener('click', copy);
    byId('new-key-done').removeEventListener('click', done);
    dialog.removeEventListener('close', onClose);
  };
  byId('new-key-copy').addEventListener('click', copy);
  byId('new-key-done').addEventListener('click', done);
  dialog.addEventListener('close', onClose);
  dialog.showModal();
  input.focus();
  input.select();
}
