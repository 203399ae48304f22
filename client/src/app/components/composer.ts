import { Limits } from '../../../../shared/limits.js';
import type { RoomId } from '../../../../shared/types.js';
import type { MenteoClient } from '@menteo/sdk';
import { h } from '../dom.js';

/** Stop announcing "typing" after this long without a keystroke (ms). */
const IDLE_MS = 4000;

/**
 * The message box: Enter sends, Shift+Enter adds a line, grows with its text. Sending puts the
 * message in the outbox, so it works offline too (it goes out on reconnect).
 */
export function composer(client: MenteoClient, roomId: RoomId) {
  const input = h('textarea', {
    class: 'composer-input',
    rows: 1,
    maxlength: Limits.messageBody,
    placeholder: 'Write a message',
    'aria-label': 'Message',
    'data-testid': 'message-input',
  });
  const send = h('button', { class: 'btn btn-primary composer-send', type: 'submit', disabled: true, 'data-testid': 'send-button' }, 'Send');
  const form = h('form', { class: 'composer', 'aria-label': 'Send a message' }, input, send);
  let idle: ReturnType<typeof setTimeout> | null = null;

  const grow = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  };
  const stopTyping = () => {
    if (idle) clearTimeout(idle);
    idle = null;
    client.setTyping(roomId, false);
  };

  function submit(): void {
    const body = input.value.trim();
    if (!body) return;
    client.send(roomId, body);
    input.value = '';
    send.disabled = true;
    grow();
    stopTyping();
  }

  input.addEventListener('input', () => {
    send.disabled = input.value.trim().length === 0;
    grow();
    if (input.value.trim()) {
      client.setTyping(roomId, true);
      if (idle) clearTimeout(idle);
      idle = setTimeout(stopTyping, IDLE_MS);
    } else {
      stopTyping();
    }
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener('blur', () => idle && stopTyping());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
    input.focus();
  });

  return {
    el: form,
    input,
    /** Enables or disables writing (a declined or closed room), with the reason as placeholder. */
    setEnabled(enabled: boolean, reason = '') {
      input.disabled = !enabled;
      send.disabled = !enabled || input.value.trim().length === 0;
      input.placeholder = enabled ? 'Write a message' : reason;
    },
    destroy: stopTyping,
  };
}
