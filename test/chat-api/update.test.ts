import type { chat_v1 } from '@googleapis/chat';
import { apiError, manualClock, SPACE, startHarness, type Harness } from './harness';

const clock = manualClock();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ now: clock.now });
});
afterAll(() => h.api.stop());
beforeEach(() => {
  h.api.reset();
  h.api.addSpace({ name: SPACE });
});

const card = (text: string, widgets = 1): chat_v1.Schema$CardWithId => ({
  cardId: 'c',
  card: { sections: [{ widgets: Array.from({ length: widgets }, () => ({ textParagraph: { text } })) }] },
});

async function seed(body: chat_v1.Schema$Message = { text: 'old', cardsV2: [card('old card')] }, messageId?: string) {
  const res = await h.client.spaces.messages.create({ parent: SPACE, requestBody: body, ...(messageId ? { messageId } : {}) });
  return res.data.name ?? '';
}

const shown = () => h.api.messages(SPACE)[0];

describe.each(['patch', 'update'] as const)('spaces.messages.%s', (verb) => {
  const call = (params: chat_v1.Params$Resource$Spaces$Messages$Patch) => h.client.spaces.messages[verb](params);

  it('requires updateMask (400)', async () => {
    const name = await seed();
    const err = await apiError(call({ name, requestBody: { text: 'new' } }));
    expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    expect(String(err.message)).toMatch(/updateMask/);
    expect(shown()).toMatchObject({ text: 'old', updateCount: 0 });
  });

  it('changes only the masked fields and stamps the update', async () => {
    const name = await seed();
    clock.advance(5_000);
    const res = await call({ name, updateMask: 'text', requestBody: { text: 'new', cardsV2: [card('ignored')] } });
    expect(res.data).toMatchObject({ name, text: 'new', lastUpdateTime: new Date(clock.now()).toISOString() });
    expect(shown()).toMatchObject({ text: 'new', cardsV2: [card('old card')], updateCount: 1 });
  });

  it.each(['cardsV2', 'cards_v2'])('accepts the path spelling %s', async (path) => {
    const name = await seed();
    await call({ name, updateMask: path, requestBody: { text: 'ignored', cardsV2: [card('new card')] } });
    expect(shown()).toMatchObject({ text: 'old', cardsV2: [card('new card')] });
  });

  it('takes a comma-separated mask and *', async () => {
    const name = await seed();
    await call({ name, updateMask: 'text, cards_v2', requestBody: { text: 't2', cardsV2: [card('c2')] } });
    expect(shown()).toMatchObject({ text: 't2', cardsV2: [card('c2')], updateCount: 1 });
    await call({ name, updateMask: '*', requestBody: { text: 't3', accessoryWidgets: [{ buttonList: { buttons: [] } }] } });
    // `*` replaces every updatable field: cardsV2 absent from the body is cleared.
    expect(shown()).toMatchObject({ text: 't3', accessoryWidgets: [{ buttonList: { buttons: [] } }], updateCount: 2 });
    expect(shown().cardsV2).toBeUndefined();
  });

  it('clears a masked field that the body leaves out, but never leaves a message empty', async () => {
    const name = await seed();
    await call({ name, updateMask: 'text', requestBody: {} });
    expect(shown().text).toBeUndefined();
    const err = await apiError(call({ name, updateMask: 'cardsV2', requestBody: {} }));
    expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    expect(shown().cardsV2).toEqual([card('old card')]);
  });

  it.each(['sender', 'cards', 'text,bogus', 'text,'])('rejects the unsupported path in %j (400)', async (mask) => {
    const name = await seed();
    const err = await apiError(call({ name, updateMask: mask, requestBody: { text: 'new' } }));
    expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    expect(shown()).toMatchObject({ text: 'old', updateCount: 0 });
  });

  it('applies the card limits to the result', async () => {
    const name = await seed();
    const err = await apiError(call({ name, updateMask: 'cardsV2', requestBody: { cardsV2: [card('x', 101)] } }));
    expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
  });

  it('addresses a message by its client id', async () => {
    await seed({ text: 'old' }, 'client-status');
    const res = await call({ name: `${SPACE}/messages/client-status`, updateMask: 'text', requestBody: { text: 'new' } });
    expect(res.data.clientAssignedMessageId).toBe('client-status');
    expect(shown().text).toBe('new');
  });

  it('answers 404 for an unknown message without allowMissing', async () => {
    const err = await apiError(call({ name: `${SPACE}/messages/client-none`, updateMask: 'text', requestBody: { text: 'x' } }));
    expect(err).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  });

  describe('allowMissing', () => {
    it('creates a missing client-id message from the whole body, ignoring the mask', async () => {
      const res = await call({
        name: `${SPACE}/messages/client-job-7`,
        updateMask: 'text',
        allowMissing: true,
        requestBody: { text: 'made', cardsV2: [card('too')] },
      });
      expect(res.data).toMatchObject({ text: 'made', clientAssignedMessageId: 'client-job-7' });
      expect(res.data.name).not.toContain('client-');
      expect(h.api.messages(SPACE)).toHaveLength(1);
      expect(shown()).toMatchObject({ text: 'made', cardsV2: [card('too')], clientAssignedMessageId: 'client-job-7', updateCount: 0 });
    });

    it('updates (honouring the mask) when the message exists', async () => {
      await seed(undefined, 'client-job-7');
      await call({ name: `${SPACE}/messages/client-job-7`, updateMask: 'text', allowMissing: true, requestBody: { text: 'new', cardsV2: [] } });
      expect(h.api.messages(SPACE)).toHaveLength(1);
      expect(shown()).toMatchObject({ text: 'new', cardsV2: [card('old card')], updateCount: 1 });
    });

    it('rejects a missing server id (400): only client ids can be upserted', async () => {
      const err = await apiError(call({ name: `${SPACE}/messages/AbCdEf123`, updateMask: 'text', allowMissing: true, requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
      expect(h.api.messages(SPACE)).toHaveLength(0);
    });

    it('rejects a malformed client id (400)', async () => {
      const err = await apiError(call({ name: `${SPACE}/messages/client-Bad_Id`, updateMask: 'text', allowMissing: true, requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    });

    it('still requires updateMask', async () => {
      const err = await apiError(call({ name: `${SPACE}/messages/client-x`, allowMissing: true, requestBody: { text: 'x' } }));
      expect(err).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
      expect(h.api.messages(SPACE)).toHaveLength(0);
    });
  });
});
