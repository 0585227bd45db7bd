/**
 * The routing cases, shared so they run in every wire format: `routing.test.ts` runs them on the
 * classic format, `test/addon/routing-both-formats.test.ts` on both. Each case posts classic events
 * from `chat-events.ts` through the format's kit and expects the format's form of the classic answer.
 */
import type { ChatEvent } from '../../shared/events/model';
import { action, button, buttonList, card, section, textParagraph, withId } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import type { FormatKit } from '../helpers/addon-events';
import {
  addedEvent,
  cardClickedEvent,
  dialogCancelEvent,
  dialogCommandEvent,
  dialogRequestEvent,
  dialogSubmitEvent,
  messageEvent,
  newSpace,
  removedEvent,
  slashCommandEvent,
  widgetUpdatedEvent,
} from '../helpers/chat-events';
import type { EventsServer } from '../helpers/events-server';

type Json = Record<string, unknown>;

/** Every event a handler of `routingRouter` saw, in order; cleared before each case. */
export const seen: { route: string; event: ChatEvent }[] = [];
const record = (route: string) => (event: ChatEvent) => {
  seen.push({ route, event });
  return reply.text(`handled by ${route}`);
};

export const routingRouter = new Router()
  .command({ id: 1, name: '/about', description: 'about' }, record('command1'), { pure: true })
  .command({ id: 7, name: '/seven', description: 'seven' }, record('command7'), { pure: true })
  .action('vote', record('action:vote'), { pure: true })
  .action('openForm', () => reply.dialog(card({ title: 'Form', sections: [section([textParagraph('hi')])] })), { pure: true })
  .action('submitForm', (e) => (e.kind === 'action' && e.common.formInputs.title ? reply.closeDialog('Saved') : reply.dialogError('INVALID_ARGUMENT', 'Title is required')), { pure: true })
  .widget('zones', (e) => reply.suggestions('zone', [{ text: `match ${e.kind === 'widget' ? e.widget.query : ''}`, value: 'x' }]))
  .added(record('added'), { pure: true })
  .removed(record('removed'), { pure: true })
  .message(record('message'), { pure: true })
  .linkPreview(
    (e) => reply.updateUserMessageCards([withId('preview', card({ title: e.kind === 'linkPreview' ? e.url : '', sections: [section([buttonList(button('Open', action('vote')))])] }))]),
    { pure: true },
  );

const last = () => seen[seen.length - 1];

/** Declares the routing cases for one format; `server()` is an events server started with `routingRouter`. */
export function routingCases(kit: FormatKit, server: () => EventsServer): void {
  const post = (classic: Json) => server().post(kit.event(classic));
  const space = newSpace();
  beforeEach(() => {
    seen.length = 0;
  });

  test('a slash command is routed by its id (appCommandMetadata first)', async () => {
    const res = await post(slashCommandEvent(space, 7, '/seven', 'now please'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(kit.response({ text: 'handled by command7' }));
    const e = last().event;
    expect(e.format).toBe(kit.format);
    expect(e.kind === 'command' && e.command).toMatchObject({ id: 7, name: '/seven', argumentText: 'now please', type: 'SLASH_COMMAND' });
  });

  test('a slash command without appCommandMetadata falls back to message.slashCommand.commandId (a string)', async () => {
    const e = slashCommandEvent(space, 7, '/seven');
    delete e.appCommandMetadata;
    await post(e);
    expect(last().route).toBe('command7');
  });

  test('a quick command (APP_COMMAND) is routed by appCommandMetadata', async () => {
    await post({ type: 'APP_COMMAND', eventTime: new Date().toISOString(), space, user: { name: 'users/1' }, appCommandMetadata: { appCommandId: 1, appCommandType: 'QUICK_COMMAND' } });
    expect(last().route).toBe('command1');
    const e = last().event;
    expect(e.kind === 'command' && e.command.type).toBe('QUICK_COMMAND');
  });

  test('an unknown command gets a private answer listing the commands', async () => {
    const res = await post(slashCommandEvent(space, 99, '/nope'));
    expect(res.json).toMatchObject(kit.response({ privateMessageViewer: { name: 'users/1111' }, text: expect.stringContaining('/about') }));
  });

  test('a card click is routed by function name with its parameters', async () => {
    await post(cardClickedEvent(space, 'vote', { option: '2' }));
    const e = last().event;
    expect(e.kind === 'action' && e.action).toEqual({ function: 'vote', parameters: { option: '2' } });
    expect(e.kind === 'action' && e.messageSenderType).toBe('BOT');
  });

  test('a dialog submit carries its form, every kind of input, and a command can open a dialog', async () => {
    const at = new Date(Date.UTC(2026, 0, 2, 10, 30));
    await post(dialogSubmitEvent(space, 'vote', { title: 'Printer on fire', zones: ['Europe/Paris', 'UTC'], off: [], day: { date: at }, when: { dateTime: at }, time: { time: { hours: 9, minutes: 5 } } }, { step: '2' }));
    const e = last().event;
    expect(e.kind === 'action' && [e.dialog, e.action.parameters, e.common.formInputs]).toEqual([
      'SUBMIT_DIALOG',
      { step: '2' },
      {
        title: { kind: 'strings', values: ['Printer on fire'] },
        zones: { kind: 'strings', values: ['Europe/Paris', 'UTC'] },
        off: { kind: 'strings', values: [] },
        day: { kind: 'date', msSinceEpoch: at.getTime() },
        when: { kind: 'dateTime', msSinceEpoch: at.getTime(), hasDate: true, hasTime: true },
        time: { kind: 'time', hours: 9, minutes: 5 },
      },
    ]);
    await post(dialogCommandEvent(space, 7, '/seven'));
    const command = last().event;
    expect(command.kind === 'command' && [command.command.id, command.dialog]).toEqual([7, 'REQUEST_DIALOG']);
  });

  test('dialog request, submit with invalid and valid input, and cancel', async () => {
    const open = await post(dialogRequestEvent(space, 'openForm'));
    expect(open.json).toMatchObject(kit.response({ actionResponse: { type: 'DIALOG', dialogAction: { dialog: { body: { header: { title: 'Form' } } } } } }));
    const invalid = await post(dialogSubmitEvent(space, 'submitForm'));
    expect(invalid.json).toEqual(
      kit.response({
        actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'INVALID_ARGUMENT', userFacingMessage: 'Title is required' } } },
      }),
    );
    expect((await post(dialogSubmitEvent(space, 'submitForm', { title: 'Printer on fire' }))).json).toEqual(
      kit.response({ actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK', userFacingMessage: 'Saved' } } } }),
    );
    const cancel = await post(dialogCancelEvent(space, 'closeIcon'));
    expect(cancel.json).toEqual(kit.response({ actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK' } } } }));
  });

  test('autocomplete (WIDGET_UPDATED) answers UPDATE_WIDGET with suggestions', async () => {
    const res = await post(widgetUpdatedEvent(space, 'zones', 'Eur'));
    expect(res.json).toEqual(
      kit.response({ actionResponse: { type: 'UPDATE_WIDGET', updatedWidget: { widget: 'zone', suggestions: { items: [{ text: 'match Eur', value: 'x' }] } } } }),
    );
  });

  test('a link preview answers UPDATE_USER_MESSAGE_CARDS', async () => {
    const e = messageEvent(space, 'see https://example.com/polls/1');
    (e.message as Json).matchedUrl = { url: 'https://example.com/polls/1' };
    const res = await post(e);
    expect(res.json).toMatchObject(kit.response({ actionResponse: { type: 'UPDATE_USER_MESSAGE_CARDS' }, cardsV2: [{ cardId: 'preview' }] }));
  });

  test('added, removed and plain messages reach their handlers; @mention text is trimmed', async () => {
    await post(addedEvent(space));
    expect(last().route).toBe('added');
    await post(removedEvent(space));
    expect(last().route).toBe('removed');
    const m = messageEvent(space, '@Bot  hello there');
    (m.message as Json).argumentText = '  hello there ';
    await post(m);
    const e = last().event;
    expect(e.kind === 'message' && e.message.argumentText).toBe('hello there');
  });

  test('an unknown event type is acknowledged with {} and logged', async () => {
    const res = await post({ type: 'MEMBERSHIP_CHANGED', space, user: { name: 'users/1' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    expect(server().logs.some((l) => l.outcome === 'ignored' && l.eventType === kit.wireType('MEMBERSHIP_CHANGED'))).toBe(true);
  });
}
