/**
 * The dialogs open on the page. The server keeps each one's card, so a click or an autocomplete in
 * a dialog is resolved against the card the app sent, never against what the page says.
 */
import type { StoredMessage } from '../chat-api';
import type { CardAction } from './card-path';
import type { UiEffect } from './protocol';
import { UserError } from './user-error';
import type { EventMessage } from './wire-event';

export interface DialogState {
  id: string;
  card: unknown;
  space: string;
  user: string;
  /** The message the dialog was opened from (sent with each dialog event). */
  origin: EventMessage;
  /** The stored message an UPDATE_MESSAGE answer would change. */
  target?: StoredMessage;
  openedBy: CardAction | undefined;
}

export class OpenDialogs {
  private readonly open = new Map<string, DialogState>();

  /** The dialog `user` has open under this id. */
  of(id: string, user: string): DialogState {
    const d = this.open.get(id);
    if (!d || d.user !== user) throw new UserError('this dialog is closed');
    return d;
  }

  find(id: string): DialogState | undefined {
    return this.open.get(id);
  }

  /** Opens the dialog, or replaces the card of the one open under the same id. */
  show(dialog: DialogState): void {
    this.open.set(dialog.id, dialog);
  }

  close(id: string): UiEffect {
    this.open.delete(id);
    return { kind: 'closeDialog', dialog: id };
  }

  /** The app left the space: its dialogs there are gone. */
  closeAllIn(space: string): void {
    for (const [id, d] of this.open) if (d.space === space) this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }
}
