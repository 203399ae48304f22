import type * as Y from 'yjs';
import { diffText, transformPosition, type TextDelta } from '@menteo/sdk';

/**
 * Binds a textarea to a shared Y.Text, both ways. Typing is sent as the one splice between what
 * the textarea showed and what it shows now (never "delete all, insert all", which would wipe a
 * concurrent edit); someone else's change updates the textarea and moves my caret and selection
 * through it, so I keep typing where I was. While an IME composes, nothing is sent until it ends.
 */
export class TextBinding {
  private text: Y.Text | null = null;
  private shown = '';
  private composing = false;
  /** The origin of this binding's transactions: its own changes are not echoed back into the field. */
  private readonly origin = {};
  private readonly onInput = () => this.push();
  private readonly onCompositionStart = () => (this.composing = true);
  private readonly onCompositionEnd = () => {
    this.composing = false;
    this.push();
  };
  private readonly observer = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === this.origin) return;
    this.pull(event.delta as TextDelta);
  };

  constructor(readonly field: HTMLTextAreaElement) {
    field.addEventListener('input', this.onInput);
    field.addEventListener('compositionstart', this.onCompositionStart);
    field.addEventListener('compositionend', this.onCompositionEnd);
  }

  /** Follows `text` from now on (a moved milestone brings a new Y.Text with the same content). */
  bind(text: Y.Text): void {
    if (text === this.text) return;
    this.text?.unobserve(this.observer);
    this.text = text;
    text.observe(this.observer);
    this.pull(null);
  }

  private push(): void {
    const text = this.text;
    if (!text || this.composing) return;
    const value = this.field.value;
    const splice = diffText(this.shown, value);
    this.shown = value;
    if (!splice) return;
    const doc = text.doc;
    const apply = () => {
      if (splice.remove > 0) text.delete(splice.index, splice.remove);
      if (splice.insert) text.insert(splice.index, splice.insert);
    };
    if (doc) doc.transact(apply, this.origin);
    else apply();
    // Another change may have landed between two keystrokes: show the merged text.
    if (text.toString() !== value) this.pull(null);
  }

  /** Shows the shared text; with a delta, moves the selection through it. */
  private pull(delta: TextDelta | null): void {
    const value = this.text?.toString() ?? '';
    if (value === this.field.value) {
      this.shown = value;
      return;
    }
    const focused = document.activeElement === this.field;
    const { selectionStart: start, selectionEnd: end, selectionDirection: direction } = this.field;
    this.field.value = value;
    this.shown = value;
    if (focused && delta) {
      this.field.setSelectionRange(transformPosition(start, delta), transformPosition(end, delta, end > start), direction ?? 'none');
    }
    this.field.dispatchEvent(new Event('menteo:resize'));
  }

  destroy(): void {
    this.text?.unobserve(this.observer);
    this.field.removeEventListener('input', this.onInput);
    this.field.removeEventListener('compositionstart', this.onCompositionStart);
    this.field.removeEventListener('compositionend', this.onCompositionEnd);
  }
}
