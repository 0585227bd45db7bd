/**
 * Chat's Cloud Pub/Sub connection end to end: events published to the emulator's topic as Chat
 * publishes them, pushed to the built `chatPubsub` in its own process, answered through the local
 * Chat API; every command and interaction of the app through this door, what cannot work here
 * (dialogs, autocomplete, App Home), and the messages that are not Chat events.
 */
import type { StoredMessage } from '../../local/chat-api';
import { NO_DIALOG_TEXT } from '../../shared/pubsub/plan';
import {
  ADA,
  addedEvent,
  appHomeEvent,
  BOT,
  cardClickedEvent,
  dialogRequestEvent,
  messageEvent,
  newSpace,
  randomProjectId,
  removedEvent,
  slashCommandEvent,
  widgetUpdatedEvent,
} from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';
import { startPubsubDoor, type PubsubDoor } from '../helpers/pubsub-door';
import { until as waitFor } from '../helpers/until';

jest.setTimeout(120_000);

const projectId = randomProjectId('door');
const db = testFirestore(projectId);
let door: PubsubDoor;

beforeAll(async () => {
  door = await startPubsubDoor(projectId);
});
afterAll(async () => {
  await door?.stop();
  await db.terminate();
});

type Json = Record<string, unknown>;

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000) =>
  waitFor(what, fn, timeoutMs, () => `door: ${JSON.stringify(door.door.logs().slice(-4))}; worker: ${JSON.stringify(door.worker.logs().slice(-4))}`);

/** A space the app is in, in the local Chat API and as an event's `space`. */
function space(kind: 'SPACE' | 'DM' = 'SPACE'): Json {
  const s = newSpace(kind);
  // Ada made it, so she manages it (the admin commands are managers-only).
  door.api.addSpace({ name: String(s.name), displayName: 'Release team', spaceType: kind === 'DM' ? 'DIRECT_MESSAGE' : 'SPACE', creator: ADA.name });
  return s;
}

const messagesOf = (s: Json, count: number) =>
  until(`${count} app message(s) in ${String(s.name)}`, () => {
    const m = door.appMessages(String(s.name));
    return m.length >= count ? m : undefined;
  });

/** A person's event about a message they sent: the message is in the space first, as in Chat. */
function sent(s: Json, event: Json): Json {
  const message = event.message as { text: string; thread: { name: string } };
  const stored = door.api.postUserMessage({ space: String(s.name), sender: ADA, text: message.text, threadName: message.thread.name });
  return { ...event, message: { ...(event.message as Json), name: stored.name, thread: { name: stored.threadName } }, thread: { name: stored.threadName } };
}

/** A click on a card of the app's message `m`. */
const clickOn = (s: Json, m: StoredMessage, fn: string, parameters: Record<string, string>, extra: Json = {}) =>
  cardClickedEvent(s, fn, parameters, { message: { name: m.name, sender: BOT, thread: { name: m.threadName } }, ...extra });

const pollIdOf = (m: StoredMessage) => /"poll","value":"([a-f0-9]{20})"|"poll":"([a-f0-9]{20})"/.exec(JSON.stringify(m.cardsV2))?.slice(1).find(Boolean);
const cardText = (m: StoredMessage) => JSON.stringify(m.cardsV2 ?? []);

test('/about is posted through the Chat API in the thread of the command, as a card', async () => {
  const s = space();
  const event = sent(s, slashCommandEvent(s, 1, '/about'));
  await door.publish(event);
  const [about] = await messagesOf(s, 1);
  expect(about.cardsV2?.length).toBeGreaterThan(0);
  expect(about.threadName).toBe((event.thread as { name: string }).name);
  expect(about.clientAssignedMessageId).toMatch(/^client-[a-f0-9]{56}$/);
});

test('/poll posts the poll; a vote patches the whole message; closing freezes it', async () => {
  const s = space();
  await door.publish(sent(s, slashCommandEvent(s, 3, '/poll', '"Lunch?" "Pizza" "Tacos"')));
  const [poll] = await messagesOf(s, 1);
  const pollId = pollIdOf(poll);
  expect(pollId).toBeDefined();
  await door.publish(clickOn(s, poll, 'pollVote', { poll: pollId!, option: '1' }));
  await until('the vote on the card', () => cardText(door.appMessages(String(s.name))[0]).includes('"text":"Tacos","bottomLabel":"1 vote (100%)"'));
  await door.publish(clickOn(s, poll, 'pollClose', { poll: pollId! }));
  await until('the closed card', () => !cardText(door.appMessages(String(s.name))[0]).includes('pollVote'));
  expect(door.appMessages(String(s.name))).toHaveLength(1);
  expect(door.api.calls().filter((c) => c.method === 'patch' && c.path.includes(poll.name)).length).toBeGreaterThanOrEqual(2);
});

test('/report is answered at once and the worker posts the report in the same thread', async () => {
  const s = space();
  await door.publish(sent(s, slashCommandEvent(s, 4, '/report')));
  const messages = await until('the answer and the report card', () => {
    const m = door.appMessages(String(s.name));
    return m.length === 2 ? m : undefined;
  });
  expect(messages[0].text).toContain('Working on the activity report');
  expect(messages[1].clientAssignedMessageId).toMatch(/^client-job-/);
  expect(messages[1].threadName).toBe(messages[0].threadName);
});

test('/notify shows its URL and secret only to the person who asked (a private message)', async () => {
  const s = space();
  await door.publish(sent(s, slashCommandEvent(s, 5, '/notify')));
  const [hook] = await messagesOf(s, 1);
  expect(hook.privateMessageViewer).toEqual({ name: ADA.name });
  expect(hook.text ?? cardText(hook)).toContain('https://chat-app.example.com/chatWebhooks/webhooks/');
});

test('/config, which opens a dialog, answers what it declared it does instead, privately', async () => {
  const s = space();
  await door.publish(sent(s, slashCommandEvent(s, 2, '/config')));
  const [answer] = await messagesOf(s, 1);
  expect(answer.privateMessageViewer).toEqual({ name: ADA.name });
  expect(answer.text).toContain('no dialogs');
  // A button that would open a dialog (the Settings button of /about) says why it cannot.
  await door.publish(dialogRequestEvent(s, 'configOpen'));
  const [, button] = await messagesOf(s, 2);
  expect(button.text).toBe(NO_DIALOG_TEXT);
});

test('added, a DM message, an unknown command; removal deletes the space and posts nothing', async () => {
  const s = space();
  await door.publish(addedEvent(s));
  const [welcome] = await messagesOf(s, 1);
  expect(welcome.text).toBeTruthy();
  const dm = space('DM');
  await door.publish(sent(dm, messageEvent(dm, 'what can you do?')));
  expect((await messagesOf(dm, 1))[0].text).toContain('/poll');
  await door.publish(sent(s, slashCommandEvent(s, 42, '/nope')));
  expect((await messagesOf(s, 2))[1].text).toContain("I don't know that command");

  await door.publish(removedEvent(s));
  await door.outcomes('answered', 1);
  await until('the space deleted', async () => !(await db.collection('spaces').doc(String(s.name).slice(7)).get()).exists);
  expect(door.appMessages(String(s.name))).toHaveLength(2);
});

test('a poll permalink gets its preview as a reply under the message; autocomplete and App Home post nothing', async () => {
  const s = space();
  await door.publish(sent(s, slashCommandEvent(s, 3, '/poll', '"Where?" "Here" "There"')));
  const [poll] = await messagesOf(s, 1);
  const link = `https://chat-app.example.com/polls/${String(s.name).slice(7)}/${pollIdOf(poll)}`;
  const linked = sent(s, messageEvent(s, `vote: ${link}`));
  (linked.message as Json).matchedUrl = { url: link };
  await door.publish(linked);
  const [, preview] = await messagesOf(s, 2);
  expect(cardText(preview)).toContain('Where?');
  expect(preview.threadName).toBe((linked.thread as { name: string }).name);

  const before = door.api.calls().length;
  await door.publish(widgetUpdatedEvent(s, 'configTimeZones', 'par'));
  await door.publish(appHomeEvent(space('DM')));
  const lines = await until('both logged', () => {
    const l = door.door.logs().filter((x) => x.unavailable === 'suggestions' || x.unavailable === 'home');
    return l.length >= 2 ? l : undefined;
  });
  expect(lines.map((l) => l.writes)).toEqual([0, 0]);
  expect(door.api.calls().slice(before).filter((c) => c.method === 'create' || c.method === 'patch')).toEqual([]);
});

test('the same event published twice, at once and later, is answered once (a stored answer, and a pure one run again)', async () => {
  const s = space();
  const event = sent(s, slashCommandEvent(s, 3, '/poll', '"Twice?" "Yes" "No"'));
  // /about is pure: no delivery record, the handler runs for every copy; the ids from the delivery key keep it to one message.
  const about = sent(s, slashCommandEvent(s, 1, '/about'));
  await Promise.all([door.publish(event), door.publish(event), door.publish(about), door.publish(about)]);
  await messagesOf(s, 2);
  await door.publish(event);
  await door.publish(about);
  await until('six deliveries handled', () => door.door.logs().filter((l) => l.message === 'chat event' && l.space === s.name).length >= 6);
  expect(door.appMessages(String(s.name))).toHaveLength(2);
  const polls = await db.collection('spaces').doc(String(s.name).slice(7)).collection('polls').get();
  expect(polls.size).toBe(1);
});

test('messages that are not Chat events go to the dead-letter topic with the reason, and nothing runs', async () => {
  const before = door.deadLetters().length;
  await door.publishRaw(Buffer.from('not json at all'));
  await door.publishRaw(Buffer.from(JSON.stringify({ hello: 'world' })));
  const letters = await until('two dead letters', () => (door.deadLetters().length >= before + 2 ? door.deadLetters().slice(before) : undefined));
  const reasons = letters.map((m) => m.attributes.chatAppDeadLetterReason).sort();
  expect(reasons[0]).toMatch(/not base64 JSON/);
  expect(reasons[1]).toMatch(/type is required/);
  expect(letters.map((m) => m.data.toString()).sort()).toEqual(['not json at all', '{"hello":"world"}']);
});

test('a Workspace Events notification on the topic is acknowledged and ignored [U]', async () => {
  await door.publishRaw(Buffer.from(JSON.stringify({ message: { name: 'spaces/X/messages/Y' } })), { 'ce-type': 'google.workspace.chat.message.v1.created' });
  const [line] = await door.outcomes('ignored');
  expect(line.ceType).toBe('google.workspace.chat.message.v1.created');
});

test('an answer the Chat API keeps failing (500) is redelivered, then dead-lettered by the subscription', async () => {
  const s = space();
  door.api.injectFault({ method: 'create', count: 100, status: 500 });
  try {
    const event = sent(s, slashCommandEvent(s, 1, '/about'));
    const before = door.deadLetters().length;
    await door.publish(event);
    const [letter] = await until('the dead letter', () => (door.deadLetters().length > before ? door.deadLetters().slice(before) : undefined), 60_000);
    expect(JSON.parse(letter.data.toString())).toEqual(event);
    expect(letter.attributes.CloudPubSubDeadLetterSourceDeliveryCount).toBe('5');
  } finally {
    door.api.clearFaults();
  }
  expect(door.appMessages(String(s.name))).toHaveLength(0);
});

test('killed while posting its answer, the door is redelivered the event and posts it once', async () => {
  const s = space();
  // The answer's create hangs: the process is then mid-handling, with the delivery claimed.
  door.api.injectFault({ method: 'create', count: 1, hangMs: 20_000 });
  await door.publish(sent(s, slashCommandEvent(s, 3, '/poll', '"Crash?" "Yes" "No"')));
  await until('the create to hang', () => door.api.faults().length === 0);
  await door.door.kill();
  await door.door.start();
  const [poll] = await messagesOf(s, 1);
  expect(cardText(poll)).toContain('Crash?');
  // Killed again right after the answer exists, before Pub/Sub hears of it: still one message.
  await door.publish(sent(s, slashCommandEvent(s, 3, '/poll', '"Again?" "Yes" "No"')));
  await messagesOf(s, 2);
  await door.door.kill();
  await door.door.start();
  await new Promise((r) => setTimeout(r, 3000)); // room for a redelivery to post a second copy
  expect(door.appMessages(String(s.name))).toHaveLength(2);
  expect((await db.collection('spaces').doc(String(s.name).slice(7)).collection('polls').get()).size).toBe(2);
});
