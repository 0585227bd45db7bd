/**
 * The events the simulator builds are what the app's own edge accepts (normalized without a 400,
 * to the right kind) in both formats, a classic Chat app's and a Workspace add-on's, and the
 * simulator's command list matches the app's, as the Chat API configuration must.
 */
import { FEATURES } from '../../functions/app';
import { composeMessage } from '../../local/simulator/compose';
import { buildWireEvents, EVENT_FORMATS, type EventContext, type EventFormat, type EventMessage, type Interaction } from '../../local/simulator/wire-event';
import { defaultWorld } from '../../local/simulator/world';
import { normalizeEvent } from '../../shared/events/normalize';

const ENDPOINT = 'http://127.0.0.1:8080/';
const world = defaultWorld(ENDPOINT);
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
/** The one request an interaction makes. */
const only = (format: EventFormat, interaction: Interaction) => {
  const requests = buildWireEvents(format, context, interaction);
  expect(requests).toHaveLength(1);
  return requests[0];
};
/** A card action as the app's card names it: an add-on's calls the endpoint URL and names its handler in `__fn`. */
const action = (format: EventFormat, fn: string, parameters: Record<string, string>) =>
  format === 'addon' ? { function: ENDPOINT, parameters: { ...parameters, __fn: fn } } : { function: fn, parameters };

test('the commands configured for the simulator are the app commands', () => {
  const app = FEATURES.flatMap((f) => (f.command ? [{ id: f.command.id, name: f.command.name, description: f.command.description }] : []));
  expect(world.app.commands.map(({ id, name, description }) => ({ id, name, description }))).toEqual(app);
});

describe.each(EVENT_FORMATS)('%s format', (format) => {
  test.each([
    ['/poll "Q?" "A" "B"', 'command'],
    ['@Team Assistant help', 'message'],
    ['see http://127.0.0.1:8080/polls/RELEASE/0123456789abcdef0123', 'linkPreview'],
  ])('MESSAGE %s normalizes to %s', (text, kind) => {
    const composed = composeMessage(world.app, text, true);
    const e = normalized(only(format, { type: 'MESSAGE', message: message(text), ...(composed.command ? { command: composed.command } : {}) }).body);
    expect(e.kind).toBe(kind);
    if (e.kind === 'command') expect(e.command).toMatchObject({ id: 3, argumentText: '"Q?" "A" "B"' });
    if (e.kind === 'message') expect(e.message.argumentText).toBe('help');
    if (e.kind === 'linkPreview') expect(e.url).toBe('http://127.0.0.1:8080/polls/RELEASE/0123456789abcdef0123');
  });

  test('a mention that adds the app, card clicks in dialogs, autocomplete and removal are all accepted', () => {
    const added = buildWireEvents(format, context, { type: 'ADDED_TO_SPACE', message: message('@Team Assistant hi', false) }).map((r) => normalized(r.body));
    // An add-on gets the add, then the message (docs/chat-protocol.md §4.1); a classic app one event carrying both.
    if (format === 'addon') expect(added).toMatchObject([{ kind: 'added', message: undefined }, { kind: 'message', message: { addedByMention: true } }]);
    else expect(added).toMatchObject([{ kind: 'added', message: { addedByMention: true } }]);
    const click = only(format, {
      type: 'CARD_CLICKED',
      message: message('x'),
      action: action(format, 'configSave', { a: '1' }),
      dialog: 'SUBMIT_DIALOG',
      formInputs: { timeZone: { stringInputs: { value: ['Europe/Paris'] } }, at: { dateTimeInput: { msSinceEpoch: '1767261600000', hasDate: true, hasTime: true } } },
    });
    expect(normalized(click.body)).toMatchObject({ kind: 'action', dialog: 'SUBMIT_DIALOG', action: { function: 'configSave', parameters: { a: '1' } }, common: { timeZone: 'Europe/Paris' } });
    const source = action(format, 'configTimeZones', {});
    const widget = only(format, { type: 'WIDGET_UPDATED', function: source.function, parameters: { ...source.parameters, autocomplete_widget_query: 'par' }, formInputs: {} });
    expect(normalized(widget.body)).toMatchObject({ kind: 'widget', widget: { function: 'configTimeZones', query: 'par' } });
    // An add-on's card actions go to the URL they name; a classic app's always to the endpoint.
    expect([click.to, widget.to]).toEqual(format === 'addon' ? [ENDPOINT, ENDPOINT] : [undefined, undefined]);
    expect(normalized(only(format, { type: 'REMOVED_FROM_SPACE' }).body)).toMatchObject({ kind: 'removed' });
    expect(normalized(buildWireEvents(format, { ...context, space: world.spaces[0] }, { type: 'REMOVED_FROM_SPACE' })[0].body)).toMatchObject({ space: { kind: 'DM' } });
  });
});

test('add-on events: a slash command is an appCommandPayload, the add by a message says interactionAdd, no invokedFunction', () => {
  const command = composeMessage(world.app, '/config', true).command!;
  const [slash] = buildWireEvents('addon', context, { type: 'MESSAGE', message: message('/config'), command, dialog: 'REQUEST_DIALOG' });
  expect(slash).toMatchObject({ name: 'appCommandPayload', eventType: 'MESSAGE' });
  expect(slash.body.chat).toMatchObject({ appCommandPayload: { appCommandMetadata: { appCommandId: 2, appCommandType: 'SLASH_COMMAND' }, isDialogEvent: true, dialogEventType: 'REQUEST_DIALOG', thread: { name: 'spaces/RELEASE/threads/T1' } } });
  const requests = buildWireEvents('addon', context, { type: 'ADDED_TO_SPACE', message: message('/about', false), command: world.app.commands[0] });
  expect(requests.map((r) => [r.name, r.eventType])).toEqual([['addedToSpacePayload', 'ADDED_TO_SPACE'], ['appCommandPayload', 'MESSAGE']]);
  expect(requests[0].body.chat).toMatchObject({ addedToSpacePayload: { interactionAdd: true, configCompleteRedirectUri: context.configCompleteRedirectUrl } });
  expect(buildWireEvents('addon', context, { type: 'ADDED_TO_SPACE' })[0].body.chat).toMatchObject({ addedToSpacePayload: { interactionAdd: false } });
  const [click] = buildWireEvents('addon', context, { type: 'CARD_CLICKED', action: action('addon', 'pollVote', { option: '1' }), formInputs: {} });
  expect(click.body.commonEventObject).toEqual(expect.objectContaining({ hostApp: 'CHAT', parameters: { option: '1', __fn: 'pollVote' } }));
  expect(click.body.commonEventObject).not.toHaveProperty('invokedFunction');
});
