/**
 * Who may change a space (issue 13.3): settings (/config and its dialog), webhooks (/notify,
 * /notify off) and voters' names are for the space's managers, as the local Chat API's
 * `spaces.members.get` tells (the creator of a named space manages it; people seated after are
 * plain members). DMs, group chats, Chat API errors, a space the app joined before roles, the
 * cache, both formats. Every refusal is a 200 with a private answer, and changes nothing.
 */
import { createAppRouter } from '../../functions/app';
import { NOT_A_MANAGER, ROLE_UNKNOWN, GROUP_CHAT_HAS_NO_MANAGERS } from '../../shared/permissions/managers-only';
import { FORMATS, formatKit, startServerFor } from '../helpers/addon-events';
import {
  ADA,
  addedEvent,
  cardClickedEvent,
  dialogCommandEvent,
  dialogSubmitEvent,
  GRACE,
  newSpace,
  randomProjectId,
  slashCommandEvent,
} from '../helpers/chat-events';
import type { EventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';

type Json = Record<string, unknown>;

describe.each(FORMATS)('managers only, %s format', (format) => {
  const kit = formatKit(format);
  const projectId = randomProjectId(`managers-${format}`);
  const db = testFirestore(projectId);
  let server: EventsServer;
  beforeAll(async () => {
    server = await startServerFor(format, { projectId, router: createAppRouter() });
  });
  afterAll(() => server?.stop());

  const idOf = (space: Json) => String(space.name).slice('spaces/'.length);
  const settingsOf = async (space: Json) => (await db.collection('spaces').doc(idOf(space)).get()).get('settings');
  const webhookCount = async (space: Json) => (await db.collection('spaces').doc(idOf(space)).collection('webhooks').get()).size;
  const memberReads = () => server.chatApi.calls().filter((c) => c.method === 'getMember').length;
  const asGrace = (e: Json): Json => ({ ...e, user: GRACE, ...(e.message ? { message: { ...(e.message as Json), sender: GRACE } } : {}) });
  const saveZone = (space: Json, zone: string, extra: Json = {}) =>
    server.post(kit.event({ ...dialogSubmitEvent(space, 'configSave', { timeZone: [zone], webhooksAllowed: ['on'], pollVotersVisible: ['on'] }), ...extra }));
  const textOf = (answer: unknown): string => JSON.stringify(answer);

  /** A named space Ada created (its manager), with the app in it, and Grace a plain member. */
  async function spaceWithGrace(): Promise<Json> {
    const space = newSpace();
    expect((await server.post(kit.event(addedEvent(space)))).status).toBe(200);
    server.chatApi.setMemberRole(String(space.name), GRACE.name, 'ROLE_MEMBER');
    return space;
  }

  test('a plain member cannot open or save the settings; the manager can', async () => {
    const space = await spaceWithGrace();
    const open = await server.post(kit.event(asGrace(dialogCommandEvent(space, 2, '/config'))));
    expect(open.status).toBe(200);
    expect(textOf(open.json)).toContain(NOT_A_MANAGER);
    expect(textOf(open.json)).not.toContain('Space settings');
    const saved = await saveZone(space, 'Asia/Tokyo', { user: GRACE });
    expect(saved.status).toBe(200);
    expect(textOf(saved.json)).toContain(NOT_A_MANAGER);
    expect((await settingsOf(space)).timeZone).toBe('UTC');

    const byAda = await server.post(kit.event(dialogCommandEvent(space, 2, '/config')));
    expect(textOf(byAda.json)).toContain('Space settings');
    await saveZone(space, 'Europe/Paris');
    expect((await settingsOf(space)).timeZone).toBe('Europe/Paris');
  });

  test('a plain member cannot create or revoke webhooks', async () => {
    const space = await spaceWithGrace();
    const created = await server.post(kit.event(asGrace(slashCommandEvent(space, 5, '/notify'))));
    expect(textOf(created.json)).toContain(NOT_A_MANAGER);
    expect(await webhookCount(space)).toBe(0);
    await server.post(kit.event(slashCommandEvent(space, 5, '/notify')));
    expect(await webhookCount(space)).toBe(1);
    const revoked = await server.post(kit.event(asGrace(slashCommandEvent(space, 5, '/notify', 'off'))));
    expect(textOf(revoked.json)).toContain(NOT_A_MANAGER);
    expect(await webhookCount(space)).toBe(1);
  });

  test('an assistant manager (Manager in Chat) may; someone not in the space may not', async () => {
    const space = await spaceWithGrace();
    server.chatApi.setMemberRole(String(space.name), GRACE.name, 'ROLE_ASSISTANT_MANAGER');
    await saveZone(space, 'Asia/Tokyo', { user: GRACE });
    expect((await settingsOf(space)).timeZone).toBe('Asia/Tokyo');
    const stranger = { name: 'users/4444', displayName: 'Eve', type: 'HUMAN' };
    // Not seated by the helper: the membership read answers 404.
    const other = await startServerFor(format, { projectId, router: createAppRouter() });
    try {
      other.chatApi.addSpace({ name: String(space.name), creator: ADA.name });
      const res = await other.post(kit.event({ ...dialogSubmitEvent(space, 'configSave', { timeZone: ['Europe/Rome'] }), user: stranger }));
      expect(textOf(res.json)).toContain(NOT_A_MANAGER);
    } finally {
      await other.stop();
    }
    expect((await settingsOf(space)).timeZone).toBe('Asia/Tokyo');
  });

  test('in a DM its one person manages their own settings, without asking Chat', async () => {
    const dm = newSpace('DM');
    await server.post(kit.event(addedEvent(dm)));
    const before = memberReads();
    await saveZone(dm, 'Europe/Paris');
    expect((await settingsOf(dm)).timeZone).toBe('Europe/Paris');
    expect(memberReads()).toBe(before);
  });

  test('a group chat has no managers: refused with an explanation, without asking Chat', async () => {
    const group = { name: `spaces/G${Date.now().toString(36)}`, type: 'ROOM', spaceType: 'GROUP_CHAT' };
    await server.post(kit.event(addedEvent(group)));
    const before = memberReads();
    const res = await server.post(kit.event(slashCommandEvent(group, 5, '/notify')));
    expect(textOf(res.json)).toContain(GROUP_CHAT_HAS_NO_MANAGERS);
    expect(await webhookCount(group)).toBe(0);
    expect(memberReads()).toBe(before);
  });

  test.each([503, 403, 500])('a Chat API error (%i) fails closed with "try again", not a 5xx, and is not cached', async (status) => {
    const space = newSpace();
    await server.post(kit.event(addedEvent(space)));
    server.chatApi.injectFault({ method: 'getMember', count: 1, status });
    const res = await saveZone(space, 'Asia/Tokyo');
    expect(res.status).toBe(200);
    expect(textOf(res.json)).toContain(ROLE_UNKNOWN);
    expect((await settingsOf(space)).timeZone).toBe('UTC');
    // The failure was not remembered: the retry asks again and succeeds.
    await saveZone(space, 'Asia/Tokyo');
    expect((await settingsOf(space)).timeZone).toBe('Asia/Tokyo');
  });

  test('a space the app joined before it learnt roles: who added it counts for nothing, Chat decides', async () => {
    const space = newSpace();
    // The record says Grace added the app (as the old rule read it); Chat says Ada created the space.
    server.chatApi.addSpace({ name: String(space.name), creator: ADA.name, members: [GRACE.name] });
    await server.post(kit.event(asGrace(addedEvent(space))));
    expect((await db.collection('spaces').doc(idOf(space)).get()).get('addedBy.name')).toBe(GRACE.name);
    const res = await saveZone(space, 'Asia/Tokyo', { user: GRACE });
    expect(textOf(res.json)).toContain(NOT_A_MANAGER);
    await saveZone(space, 'Europe/Paris');
    expect((await settingsOf(space)).timeZone).toBe('Europe/Paris');
  });

  test('roles are cached per space and person: opening and saving the dialog read the role once', async () => {
    const space = newSpace();
    await server.post(kit.event(addedEvent(space)));
    const before = memberReads();
    await server.post(kit.event(dialogCommandEvent(space, 2, '/config')));
    await saveZone(space, 'Europe/Paris');
    await server.post(kit.event(cardClickedEvent(space, 'configOpen', {}, { isDialogEvent: true, dialogEventType: 'REQUEST_DIALOG' })));
    expect(memberReads() - before).toBe(1);
  });
});
