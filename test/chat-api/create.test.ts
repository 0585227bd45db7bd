import { auth } from '@googleapis/chat';
import { apiError, chatClient, manualClock, offSchema, SPACE, startHarness, type Harness } from './harness';

const clock = manualClock();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ now: clock.now });
});
afterAll(() => h.api.stop());
beforeEach(() => {
  h.api.reset();
  h.api.addSpace({ name: SPACE, displayName: 'Team' });
});

const card = (widgets: number) => ({
  cardId: 'c1',
  card: { sections: [{ widgets: Array.from({ length: widgets }, (_, i) => ({ textParagraph: { text: `w${i}` } })) }] },
});

describe('spaces.messages.create', () => {
  it('creates a text message in a new thread and shows it in the space', async () => {
    const res = await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'hello' } });
    expect(res.status).toBe(200);
    expect(res.data.name).toMatch(/^spaces\/AAAA\/messages\/[A-Za-z0-9]+$/);
    expect(res.data.thread?.name).toMatch(/^spaces\/AAAA\/threads\/[A-Za-z0-9]+$/);
    expect(res.data).toMatchObject({
      text: 'hello',
      space: { name: SPACE },
      sender: { type: 'BOT' },
      createTime: new Date(clock.now()).toISOString(),
    });
    expect(res.data.lastUpdateTime).toBeUndefined();
    const shown = h.api.messages(SPACE);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ name: res.data.name, text: 'hello', threadName: res.data.thread?.name, updateCount: 0 });
  });

  it('works with a credential-less OAuth2 client too (bearer token, no network)', async () => {
    const noop = new auth.OAuth2();
    noop.setCredentials({ access_token: 'local-test-token' });
    const client = chatClient(h.api.url, { auth: noop });
    const res = await client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'via oauth2' } });
    expect(res.data.text).toBe('via oauth2');
  });

  describe('requestId', () => {
    it('replays the first result for a repeated requestId, even with a different body', async () => {
      const first = await h.client.spaces.messages.create({ parent: SPACE, requestId: 'r-1', requestBody: { text: 'one' } });
      const again = await h.client.spaces.messages.create({ parent: SPACE, requestId: 'r-1', requestBody: { text: 'two' } });
      expect(again.status).toBe(200);
      expect(again.data.name).toBe(first.data.name);
      expect(again.data.text).toBe('one');
      expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['one']);
    });

    it('creates separate messages for different requestIds and in different spaces', async () => {
      h.api.addSpace({ name: 'spaces/BBBB' });
      await h.client.spaces.messages.create({ parent: SPACE, requestId: 'r-1', requestBody: { text: 'a' } });
      await h.client.spaces.messages.create({ parent: SPACE, requestId: 'r-2', requestBody: { text: 'b' } });
      await h.client.spaces.messages.create({ parent: 'spaces/BBBB', requestId: 'r-1', requestBody: { text: 'c' } });
      expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['a', 'b']);
      expect(h.api.messages('spaces/BBBB').map((m) => m.text)).toEqual(['c']);
    });
  });

  describe('messageId', () => {
    it('sets clientAssignedMessageId; the name keeps the server id', async () => {
      const res = await h.client.spaces.messages.create({ parent: SPACE, messageId: 'client-job-42', requestBody: { text: 'x' } });
      expect(res.data.clientAssignedMessageId).toBe('client-job-42');
      expect(res.data.name).not.toContain('client-');
      expect(h.api.messages(SPACE)[0].clientAssignedMessageId).toBe('client-job-42');
    });

    it('accepts exactly 63 characters', async () => {
      const id = `client-${'a'.repeat(56)}`;
      const res = await h.client.spaces.messages.create({ parent: SPACE, messageId: id, requestBody: { text: 'x' } });
      expect(res.data.clientAssignedMessageId).toBe(id);
    });

    it.each([
      ['no client- prefix', 'job-42'],
      ['uppercase', 'client-Job'],
      ['underscore', 'client-job_42'],
      ['dot', 'client-job.42'],
      ['nothing after the prefix', 'client-'],
      ['64 characters', `client-${'a'.repeat(57)}`],
    ])('rejects an id with %s (400 INVALID_ARGUMENT)', async (_why, id) => {
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, messageId: id, requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 400, code: 400, status: 'INVALID_ARGUMENT' });
      expect(h.api.messages(SPACE)).toHaveLength(0);
    });

    it('rejects a messageId already used in the space with 409 ALREADY_EXISTS', async () => {
      await h.client.spaces.messages.create({ parent: SPACE, messageId: 'client-a', requestBody: { text: 'x' } });
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, messageId: 'client-a', requestBody: { text: 'y' } }));
      expect(err).toMatchObject({ httpStatus: 409, status: 'ALREADY_EXISTS' });
      expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['x']);
    });
  });

  describe('threads', () => {
    it('replies in thread.name with REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD', async () => {
      const root = await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'root' } });
      const reply = await h.client.spaces.messages.create({
        parent: SPACE,
        messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
        requestBody: { text: 'reply', thread: { name: root.data.thread?.name } },
      });
      expect(reply.data.thread?.name).toBe(root.data.thread?.name);
      expect(reply.data.threadReply).toBe(true);
      expect(h.api.messages(SPACE).map((m) => [m.text, m.threadName, m.threadReply])).toEqual([
        ['root', root.data.thread?.name, false],
        ['reply', root.data.thread?.name, true],
      ]);
    });

    it('ignores thread.name without a reply option (new thread)', async () => {
      const root = await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'root' } });
      const other = await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'x', thread: { name: root.data.thread?.name } } });
      expect(other.data.thread?.name).not.toBe(root.data.thread?.name);
    });

    it('falls back to a new thread when thread.name is unknown', async () => {
      const res = await h.client.spaces.messages.create({
        parent: SPACE,
        messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
        requestBody: { text: 'x', thread: { name: `${SPACE}/threads/nope` } },
      });
      expect(res.data.thread?.name).not.toBe(`${SPACE}/threads/nope`);
      expect(res.data.threadReply).toBeUndefined();
    });

    it('groups messages by thread.threadKey, and by the deprecated threadKey query parameter', async () => {
      const opt = 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD';
      const a = await h.client.spaces.messages.create({ parent: SPACE, messageReplyOption: opt, requestBody: { text: 'a', thread: { threadKey: 'deploy-1' } } });
      const b = await h.client.spaces.messages.create({ parent: SPACE, messageReplyOption: opt, requestBody: { text: 'b', thread: { threadKey: 'deploy-1' } } });
      const c = await h.client.spaces.messages.create({ parent: SPACE, messageReplyOption: opt, threadKey: 'deploy-1', requestBody: { text: 'c' } });
      const d = await h.client.spaces.messages.create({ parent: SPACE, messageReplyOption: opt, requestBody: { text: 'd', thread: { threadKey: 'deploy-2' } } });
      expect(a.data.thread).toEqual({ name: a.data.thread?.name, threadKey: 'deploy-1' });
      expect(b.data.thread?.name).toBe(a.data.thread?.name);
      expect(c.data.thread?.name).toBe(a.data.thread?.name);
      expect(d.data.thread?.name).not.toBe(a.data.thread?.name);
    });

    it('answers 404 for REPLY_MESSAGE_OR_FAIL with an unknown thread', async () => {
      const err = await apiError(
        h.client.spaces.messages.create({
          parent: SPACE,
          messageReplyOption: 'REPLY_MESSAGE_OR_FAIL',
          requestBody: { text: 'x', thread: { name: `${SPACE}/threads/nope` } },
        }),
      );
      expect(err).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
    });

    it('rejects an unknown messageReplyOption', async () => {
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, messageReplyOption: 'REPLY_SOMEHOW', requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    });
  });

  describe('body validation', () => {
    it.each([
      ['an empty body', {}],
      ['empty text', { text: '' }],
      ['empty cardsV2', { cardsV2: [] }],
    ])('requires text or cardsV2: rejects %s', async (_why, body) => {
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: body }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
      expect(String(err.message)).toMatch(/text or cardsV2/);
    });

    it('accepts a cards-only message with 100 widgets, and privateMessageViewer', async () => {
      const res = await h.client.spaces.messages.create({
        parent: SPACE,
        requestBody: { cardsV2: [card(100)], privateMessageViewer: { name: 'users/123' } },
      });
      expect(res.data.cardsV2?.[0].card?.sections?.[0].widgets).toHaveLength(100);
      expect(h.api.messages(SPACE)[0]).toMatchObject({ privateMessageViewer: { name: 'users/123' } });
      expect(h.api.messages(SPACE)[0].text).toBeUndefined();
    });

    it('rejects a card with 101 widgets', async () => {
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: { cardsV2: [card(101)] } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
      expect(String(err.message)).toMatch(/101 widgets.*at most 100/);
    });

    it('rejects a card entry without a card', async () => {
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: { cardsV2: [{ cardId: 'x' }] } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    });

    it('accepts a message under 32,000 bytes and rejects one over', async () => {
      await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'é'.repeat(15_000) } }); // 30,000 bytes
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'é'.repeat(16_001) } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
      expect(String(err.message)).toMatch(/32000 bytes/);
      expect(h.api.messages(SPACE)).toHaveLength(1);
    });

    it('rejects unknown fields and wrong types, like the proto JSON parser', async () => {
      const typo = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: offSchema({ txt: 'x' }) }));
      expect(typo).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
      expect(String(typo.message)).toMatch(/Unknown name "txt"/);
      const wrongType = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: offSchema({ text: 5 }) }));
      expect(wrongType).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    });

    it('accepts snake_case field names and ignores output-only fields', async () => {
      const res = await h.client.spaces.messages.create({
        parent: SPACE,
        // Output-only fields are still parsed as their types (a Timestamp must be one), then ignored.
        requestBody: offSchema({ cards_v2: [card(1)], name: 'ignored', createTime: '2020-01-01T00:00:00Z' }),
      });
      expect(res.data.cardsV2).toHaveLength(1);
      expect(res.data.name).not.toBe('ignored');
    });
  });

  describe('space errors', () => {
    it('answers 404 NOT_FOUND for an unknown space', async () => {
      const err = await apiError(h.client.spaces.messages.create({ parent: 'spaces/NOPE', requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 404, code: 404, status: 'NOT_FOUND' });
    });

    it('answers 403 PERMISSION_DENIED while the app is not a member, and works again once it is', async () => {
      h.api.setAppMembership(SPACE, false);
      const err = await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 403, code: 403, status: 'PERMISSION_DENIED' });
      h.api.setAppMembership(SPACE, true);
      await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'x' } });
      expect(h.api.messages(SPACE)).toHaveLength(1);
    });

    it('starts spaces without the app when appIsMember is false, and forgets removed spaces', async () => {
      h.api.addSpace({ name: 'spaces/DM1', spaceType: 'DIRECT_MESSAGE', appIsMember: false });
      expect((await apiError(h.client.spaces.messages.create({ parent: 'spaces/DM1', requestBody: { text: 'x' } }))).httpStatus).toBe(403);
      h.api.removeSpace(SPACE);
      expect((await apiError(h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'x' } }))).httpStatus).toBe(404);
      expect(() => h.api.messages(SPACE)).toThrow(/unknown space/);
    });
  });
});
