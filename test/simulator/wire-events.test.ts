/**
 * The events the simulator builds are what the app's own edge accepts (normalized without a 400,
 * to the right kind), and the simulator's command list matches the app's, as the Chat API
 * configuration must.
 */
import { FEATURES } from '../../functions/app';
import { composeMessage } from '../../local/simulator/compose';
import { buildWireEvent, type EventContext, type EventMessage } from '../../local/simulator/wire-event';
import { defaultWorld } from '../../local/simulator/world';
import { normalizeEvent } from '../../shared/events/normalize';

const world = defaultWorld('http://127.0.0.1:8080/');
const space = world.spaces.find((s) => s.name === 'spaces/RELEASE')!;
const context: EventContext = {
  eventTime: new Date().toISOString(),
  space,
  user: world.people[0],
  timeZone: { id: 'Europe/Paris', offset: 3_600_000 },
  locale: 'en',
  configCompleteRedirectUrl: 'http://127.0.0.1:8088/config-complete',
};
const message = (text: string, member = true): EventMessage => {
  const c = composeMessage(world.app, text, member);
  return { name: 'spaces/RELEASE/messages/M1', sender: { name: 'users/1111', displayName: 'Ada Lovelace', type: 'HUMAN' }, createTime: context.eventTime, threadName: 'spaces/RELEASE/threads/T1', threadReply: false, text, argumentText: c.argumentText, annotations: c.annotations, ...(c.matchedUrl ? { matchedUrl: c.matchedUrl } : {}) };
};
const normalized = (e: Record<string, unknown>) => {
  const n = normalizeEvent(e);
  if ('ignored' in n) throw new Error(`ignored: ${n.ignored}`);
  return n.event;
};

test('the commands configured for the simulator are the app commands', () => {
  const app = FEATURES.flatMap((f) => (f.command ? [{ id: f.command.id, name: f.command.name, description: f.command.description }] : []));
  expect(world.app.commands.map(({ id, name, description }) => ({ id, name, description }))).toEqual(app);
});

test.each([
  ['/poll "Q?" "A" "B"', 'command'],
  ['@Team Assistant help', 'message'],
  ['see http://127.0.0.1:8080/polls/RELEASE/0123456789abcdef0123', 'linkPreview'],
])('MESSAGE %s normalizes to %s', (text, kind) => {
  const composed = composeMessage(world.app, text, true);
  const event = buildWireEvent('chat', context, { type: 'MESSAGE', message: message(text), ...(composed.command ? { command: composed.command } : {}) });
  const e = normalized(event);
  expect(e.kind).toBe(kind);
  if (e.kind === 'command') expect(e.command).toMatchObject({ id: 3, argumentText: '"Q?" "A" "B"' });
  if (e.kind === 'message') expect(e.message.argumentText).toBe('help');
  if (e.kind === 'linkPreview') expect(e.url).toBe('http://127.0.0.1:8080/polls/RELEASE/0123456789abcdef0123');
});

test('a mention that adds the app, card clicks in dialogs, autocomplete and removal are all accepted', () => {
  const added = normalized(buildWireEvent('chat', context, { type: 'ADDED_TO_SPACE', message: message('@Team Assistant hi', false) }));
  expect(added).toMatchObject({ kind: 'added', message: { addedByMention: true } });
  const click = normalized(
    buildWireEvent('chat', context, {
      type: 'CARD_CLICKED',
      message: message('x'),
      action: { function: 'configSave', parameters: { a: '1' } },
      dialog: 'SUBMIT_DIALOG',
      formInputs: { timeZone: { stringInputs: { value: ['Europe/Paris'] } }, at: { dateTimeInput: { msSinceEpoch: '1767261600000', hasDate: true, hasTime: true } } },
    }),
  );
  expect(click).toMatchObject({ kind: 'action', dialog: 'SUBMIT_DIALOG', action: { function: 'configSave', parameters: { a: '1' } }, common: { timeZone: 'Europe/Paris' } });
  const widget = normalized(buildWireEvent('chat', context, { type: 'WIDGET_UPDATED', function: 'configTimeZones', parameters: { autocomplete_widget_query: 'par' }, formInputs: {} }));
  expect(widget).toMatchObject({ kind: 'widget', widget: { function: 'configTimeZones', query: 'par' } });
  expect(normalized(buildWireEvent('chat', { ...context, space: world.spaces[0] }, { type: 'REMOVED_FROM_SPACE' }))).toMatchObject({ kind: 'removed', space: { kind: 'DM' } });
});
