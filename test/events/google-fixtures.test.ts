/**
 * Event shapes from Google's own fixtures and documented variants that the app must accept, in both
 * formats: a dialog closed with its ✕ names no function (`common: {}`), a user whose `type` is
 * `TYPE_UNSPECIFIED` or absent; and the "did you mean" hint that must not fire on ordinary words.
 */
import { createAppRouter } from '../../functions/app';
import { FORMATS, formatKit, startServerFor } from '../helpers/addon-events';
import { cardClickedEvent, messageEvent, newSpace, randomProjectId, ADA } from '../helpers/chat-events';
import type { EventsServer } from '../helpers/events-server';

describe.each(FORMATS)('%s format', (format) => {
  const kit = formatKit(format);
  let server: EventsServer;
  beforeAll(async () => {
    server = await startServerFor(format, { projectId: randomProjectId(`fixtures-${format}`), router: createAppRouter() });
  });
  afterAll(() => server?.stop());

  test('CANCEL_DIALOG with no function name (common: {}) closes the dialog', async () => {
    const space = newSpace();
    const { action: _none, ...event } = cardClickedEvent(space, 'unused', {}, { isDialogEvent: true, dialogEventType: 'CANCEL_DIALOG', common: {} });
    const res = await server.post(kit.event(event));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(kit.response({ actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK' } } } }));
  });

  test.each([['TYPE_UNSPECIFIED'], [undefined]])('a user of type %s is answered like anyone', async (type) => {
    const { type: _t, ...user } = ADA;
    const event = messageEvent(newSpace('DM'), 'hello?', { user: { ...user, ...(type ? { type } : {}) } });
    const res = await server.post(kit.event(event));
    expect(res.status).toBe(200);
    expect(kit.messageOf(res.json)?.text).toContain('here is what I can do');
  });

  test.each([['Which option is better, A or B?'], ['We need to decide and choose quickly'], ['What about lunch?'], ['Send me a summary of the activity']])(
    'no "did you mean" hint for ordinary words: %s',
    async (text) => {
      const res = await server.post(kit.event(messageEvent(newSpace('DM'), text)));
      expect(kit.messageOf(res.json)?.text).not.toContain('It sounds like');
    },
  );

  test.each([['can we run a poll?', '/poll'], ['show me the usage stats', '/report'], ['how do I add a webhook', '/notify']])(
    'the hint still points at a command its words name: %s',
    async (text, command) => {
      const res = await server.post(kit.event(messageEvent(newSpace('DM'), text)));
      expect(kit.messageOf(res.json)?.text).toContain(`It sounds like you want *${command}*`);
    },
  );
});
