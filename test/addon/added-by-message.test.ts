/**
 * Being added by an @mention or a slash command. The classic format sends one ADDED_TO_SPACE carrying
 * the message; an add-on gets two requests, `addedToSpacePayload` (`interactionAdd: true`) and then
 * the message or command (docs/chat-protocol.md §4.1). Either way the space is recorded, the onboarding is posted
 * once and the message is answered exactly once, also when Chat delivers every request twice.
 */
import { ADA, BOT, addedEvent, messageEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { FORMATS, formatKit, startServerFor } from '../helpers/addon-events';
import type { EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';
import { reply } from '../../shared/replies/responses';
import { Router } from '../../shared/routing/router';
import { SPACES } from '../../shared/stores/spaces';

type Json = Record<string, unknown>;

const ONBOARDING = 'Thanks for adding me!';
const runs = { added: 0, message: 0, command: 0 };
// Not pure: each handler's deliveries are claimed, so a repeat replays instead of running again.
const router = new Router()
  .added(async (e, ctx) => {
    runs.added++;
    await ctx.spaces.recordAdded(e.space, e.user, new Date(e.eventTime));
    return reply.text(ONBOARDING);
  })
  .message((e) => {
    runs.message++;
    return reply.text(`You said: ${e.message.argumentText}`);
  })
  .command({ id: 1, name: '/about', description: 'about' }, () => {
    runs.command++;
    return reply.text('About this app');
  });

describe.each(FORMATS)('added by a message, %s format', (format) => {
  const kit = formatKit(format);
  const projectId = randomProjectId(`added-${format}`);
  const db = testFirestore(projectId);
  let server: EventsServer;
  beforeAll(async () => {
    server = await startServerFor(format, { projectId, router });
  });
  afterAll(() => server?.stop());
  beforeEach(() => {
    Object.assign(runs, { added: 0, message: 0, command: 0 });
  });

  /** Posts every request of the event twice, as Chat's retries could; returns the texts posted, in order. */
  async function deliverTwice(classic: Json): Promise<string[]> {
    const requests = kit.events(classic);
    expect(requests).toHaveLength(format === 'addon' ? 2 : 1);
    const texts: string[] = [];
    const first: string[] = [];
    for (const body of requests) {
      const res = await server.post(body);
      expect(res.status).toBe(200);
      first.push(res.text);
      const text = kit.messageOf(res.json)?.text;
      if (typeof text === 'string') texts.push(text);
    }
    for (const [i, body] of requests.entries()) expect((await server.post(body)).text).toBe(first[i]);
    return texts;
  }

  const countOf = (texts: string[], part: string) => texts.filter((t) => t.includes(part)).length;

  test('by an @mention: the space is recorded, the onboarding posted once, the mention answered once', async () => {
    const space = newSpace();
    const mention = messageEvent(space, '@Team Assistant what can you do?');
    Object.assign(mention.message as Json, {
      argumentText: ' what can you do?',
      annotations: [{ type: 'USER_MENTION', startIndex: 0, length: 15, userMention: { user: BOT, type: 'ADD' } }],
    });
    const texts = await deliverTwice(addedEvent(space, { message: mention.message }));

    expect(runs).toEqual({ added: 1, message: 1, command: 0 });
    expect(countOf(texts, 'You said: what can you do?')).toBe(1);
    expect(countOf(texts, ONBOARDING)).toBe(1);
    // The add-on answers the added event with the onboarding only, and the message with its answer only.
    if (format === 'addon') expect(texts).toEqual([ONBOARDING, 'You said: what can you do?']);
    const doc = await db.collection(SPACES).doc(String(space.name).slice('spaces/'.length)).get();
    expect(doc.get('addedBy')).toMatchObject({ name: ADA.name });
  });

  test('by a slash command: the command is answered once', async () => {
    const space = newSpace();
    const command = slashCommandEvent(space, 1, '/about');
    (command.message as { annotations: { slashCommand: Json }[] }).annotations[0].slashCommand.type = 'ADD';
    const texts = await deliverTwice(addedEvent(space, { message: command.message, appCommandMetadata: command.appCommandMetadata }));

    expect(runs).toEqual({ added: 1, message: 0, command: 1 });
    expect(countOf(texts, 'About this app')).toBe(1);
    expect(countOf(texts, ONBOARDING)).toBe(1);
    expect((await db.collection(SPACES).doc(String(space.name).slice('spaces/'.length)).get()).exists).toBe(true);
  });
});
