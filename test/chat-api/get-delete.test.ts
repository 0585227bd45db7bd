import type { ChangeEvent } from '../../local/chat-api';
import { apiError, SPACE, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.api.stop());
beforeEach(() => {
  h.api.reset();
  h.api.addSpace({ name: SPACE });
});

describe('spaces.messages.get', () => {
  it('finds a message by server id and by client id', async () => {
    const created = await h.client.spaces.messages.create({ parent: SPACE, messageId: 'client-a', requestBody: { text: 'hi' } });
    const byServer = await h.client.spaces.messages.get({ name: created.data.name ?? '' });
    const byClient = await h.client.spaces.messages.get({ name: `${SPACE}/messages/client-a` });
    expect(byServer.data).toEqual(created.data);
    expect(byClient.data).toEqual(created.data);
  });

  it('answers 404 for an unknown message and for a message of another space', async () => {
    h.api.addSpace({ name: 'spaces/BBBB' });
    const other = await h.client.spaces.messages.create({ parent: 'spaces/BBBB', requestBody: { text: 'x' } });
    const id = (other.data.name ?? '').split('/').pop();
    expect(await apiError(h.client.spaces.messages.get({ name: `${SPACE}/messages/nope` }))).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
    expect(await apiError(h.client.spaces.messages.get({ name: `${SPACE}/messages/${id}` }))).toMatchObject({ httpStatus: 404 });
  });

  it('answers 404 for an unknown space and 403 when the app is not a member', async () => {
    expect(await apiError(h.client.spaces.messages.get({ name: 'spaces/NOPE/messages/x' }))).toMatchObject({ httpStatus: 404 });
    h.api.setAppMembership(SPACE, false);
    expect(await apiError(h.client.spaces.messages.get({ name: `${SPACE}/messages/x` }))).toMatchObject({ httpStatus: 403, status: 'PERMISSION_DENIED' });
  });
});

describe('spaces.messages.delete', () => {
  it('removes the message; get and a second delete then answer 404', async () => {
    const a = await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'a' } });
    await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'b' } });
    const res = await h.client.spaces.messages.delete({ name: a.data.name ?? '' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({});
    expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['b']);
    expect(await apiError(h.client.spaces.messages.get({ name: a.data.name ?? '' }))).toMatchObject({ httpStatus: 404 });
    expect(await apiError(h.client.spaces.messages.delete({ name: a.data.name ?? '' }))).toMatchObject({ httpStatus: 404 });
  });

  it('deletes by client id, after which the id can be used again', async () => {
    await h.client.spaces.messages.create({ parent: SPACE, messageId: 'client-a', requestBody: { text: 'first' } });
    await h.client.spaces.messages.delete({ name: `${SPACE}/messages/client-a` });
    expect(h.api.messages(SPACE)).toHaveLength(0);
    await h.client.spaces.messages.create({ parent: SPACE, messageId: 'client-a', requestBody: { text: 'second' } });
    expect(h.api.messages(SPACE).map((m) => m.text)).toEqual(['second']);
  });
});

describe('onChange', () => {
  it('reports create, update and delete in order, and stops after unsubscribe', async () => {
    const events: ChangeEvent[] = [];
    const off = h.api.onChange((e) => events.push(e));
    const created = await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'a' } });
    const name = created.data.name ?? '';
    await h.client.spaces.messages.patch({ name, updateMask: 'text', requestBody: { text: 'b' } });
    await h.client.spaces.messages.delete({ name });
    off();
    await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'unseen' } });
    expect(events.map((e) => (e.type === 'create' || e.type === 'update' || e.type === 'delete' ? [e.type, e.message.text] : [e.type]))).toEqual([
      ['create', 'a'],
      ['update', 'b'],
      ['delete', 'b'],
    ]);
  });

  it('reports space changes and reset, and survives a listener that throws', () => {
    const events: ChangeEvent[] = [];
    const offBad = h.api.onChange(() => {
      throw new Error('listener bug');
    });
    const off = h.api.onChange((e) => events.push(e));
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      h.api.addSpace({ name: 'spaces/NEW' });
      h.api.setAppMembership('spaces/NEW', false);
      h.api.removeSpace('spaces/NEW');
      h.api.reset();
      expect(h.api.spaces()).toEqual([]); // reset goes back to a fresh server, spaces included
    } finally {
      warn.mockRestore();
      off();
      offBad();
    }
    expect(events).toEqual([
      { type: 'space', name: 'spaces/NEW', space: { name: 'spaces/NEW', spaceType: 'SPACE', appIsMember: true } },
      { type: 'space', name: 'spaces/NEW', space: { name: 'spaces/NEW', spaceType: 'SPACE', appIsMember: false } },
      { type: 'space', name: 'spaces/NEW', space: null },
      { type: 'reset' },
    ]);
  });

  it('hands listeners copies, so they cannot change what the space shows', async () => {
    const off = h.api.onChange((e) => {
      if (e.type === 'create') e.message.text = 'tampered';
    });
    await h.client.spaces.messages.create({ parent: SPACE, requestBody: { text: 'real' } });
    off();
    expect(h.api.messages(SPACE)[0].text).toBe('real');
    const shown = h.api.messages(SPACE);
    shown[0].text = 'tampered';
    expect(h.api.messages(SPACE)[0].text).toBe('real');
  });
});
