/** What the Pub/Sub door posts for each kind of reply (plan.ts), and the router's rule for commands that open dialogs. */
import { answerMessageId, answerRequestId, NO_DIALOG_TEXT, planAnswer, WHOLE_MESSAGE } from '../../shared/pubsub/plan';
import { card, section, textParagraph } from '../../shared/replies/cards';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import type { ChatEvent } from '../../shared/events/model';
import { cardClickedEvent, newSpace, normalized, slashCommandEvent } from '../helpers/chat-events';

const KEY = 'ab'.repeat(32);
const read = normalized;
const space = newSpace();
// Normalized in a hook, not as the file loads: with a broken normalizer (a mutant) these tests fail,
// where a throw at load would fail the file to run (a mutation run's "runtime error", not a kill).
let command: ChatEvent;
let click: ChatEvent;
beforeAll(() => {
  command = read(slashCommandEvent(space, 1, '/about'));
  click = read(cardClickedEvent(space, 'pollVote'));
});
const cards = [{ cardId: 'c', card: card({ sections: [section([textParagraph('hi')])] }) }];

test('ids derive from the delivery key: the same for every repeat, valid client- ids', () => {
  expect(answerRequestId(KEY)).toBe(`event-${KEY}`);
  expect(answerMessageId(KEY)).toMatch(/^client-[a-z0-9-]{1,56}$/);
  expect(planAnswer(command, KEY, reply.text('x'))).toEqual(planAnswer(command, KEY, reply.text('x')));
});

test('a message is created in the thread of the event; a private one names its viewer', () => {
  const [write] = planAnswer(command, KEY, reply.private('users/1', { text: 'only you' })).writes;
  expect(write).toEqual({
    create: {
      parent: space.name,
      message: { text: 'only you', privateMessageViewer: { name: 'users/1' } },
      requestId: answerRequestId(KEY),
      messageId: answerMessageId(KEY),
      threadName: command.threadName,
    },
  });
});

test('an update of the clicked card patches the whole message, clearing what the reply leaves out', () => {
  expect(planAnswer(click, KEY, reply.updateMessage({ text: 'new' })).writes).toEqual([
    { patch: { name: click.message!.name, message: { text: 'new', cardsV2: [], accessoryWidgets: [] }, updateMask: WHOLE_MESSAGE } },
  ]);
});

test('what this connection cannot show: a dialog is explained privately, the rest writes nothing', () => {
  expect(planAnswer(click, KEY, reply.dialog(card({ sections: [] }))).writes[0]).toMatchObject({ create: { message: { text: NO_DIALOG_TEXT, privateMessageViewer: { name: click.user.name } } } });
  expect(planAnswer(click, KEY, reply.closeDialog('Saved')).writes[0]).toMatchObject({ create: { message: { text: 'Saved' } } });
  expect(planAnswer(click, KEY, reply.closeDialog())).toEqual({ writes: [] });
  expect(planAnswer(click, KEY, reply.suggestions('w', []))).toEqual({ writes: [], unavailable: 'suggestions' });
  expect(planAnswer(click, KEY, reply.home(card({ sections: [] })))).toEqual({ writes: [], unavailable: 'home' });
  expect(planAnswer(click, KEY, reply.ack())).toEqual({ writes: [] });
  expect(planAnswer(command, KEY, reply.updateUserMessageCards(cards)).writes[0]).toMatchObject({ create: { message: { cardsV2: cards } } });
});

test('a command that opens a dialog must declare what it does without one; without dialogs it answers that', () => {
  const info = { id: 7, name: '/x', description: 'x', opensDialog: true };
  expect(() => new Router().command(info, () => reply.ack())).toThrow(/declare withoutDialogs/);
  const router = new Router().command({ ...info, withoutDialogs: 'Does it differently.' }, () => reply.dialog(card({ sections: [] })));
  const event = read(slashCommandEvent(space, 7, '/x'));
  expect(router.resolve(event).name).toBe('command:7');
  router.withoutDialogs();
  const route = router.resolve(event);
  expect(route.pure).toBe(true);
  expect(route.handler(event, {} as never)).toEqual(reply.private(event.user.name, { text: 'Does it differently.' }));
});
