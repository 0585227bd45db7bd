/**
 * The simulator reads every answer the framework renders, in the format it was rendered for, as
 * meaning the same thing: a classic app's message with `actionResponse`, or an add-on's actions.
 * And it refuses what Chat refuses from an add-on (a bare message, two actions at once).
 */
import { readAnswer, type Answer } from '../../local/simulator/answer';
import { button, buttonList, card, dialogCard, action, section, textParagraph, withId } from '../../shared/replies/cards';
import { renderAddonResponse } from '../../shared/replies/render-addon';
import { renderChatResponse } from '../../shared/replies/render-chat';
import { reply, type Reply } from '../../shared/replies/responses';

const ENDPOINT = 'http://127.0.0.1:8080/';
const poll = withId('poll-1', card({ title: 'Lunch?', sections: [section([buttonList(button('Pizza', action('pollVote', { option: '0' })))])] }));
const settings = dialogCard(card({ title: 'Settings', sections: [section([textParagraph('Time zone')])] }), button('Save', action('configSave')));

const read = (format: 'chat' | 'addon', r: Reply, inDialog = false): Answer =>
  readAnswer(format, 200, JSON.parse(JSON.stringify(format === 'addon' ? renderAddonResponse(r, { endpointUrl: ENDPOINT, inDialog }) : renderChatResponse(r))));

test.each<[string, Reply, Answer['kind']]>([
  ['a text message', reply.text('hello'), 'newMessage'],
  ['a private card message', reply.private('users/1111', { cardsV2: [poll] }), 'newMessage'],
  ['an update of the clicked message', reply.updateMessage({ cardsV2: [poll] }), 'updateMessage'],
  ['a link preview', reply.updateUserMessageCards([poll]), 'updateUserMessageCards'],
  ['a dialog', reply.dialog(settings), 'dialog'],
  ['closing the dialog', reply.closeDialog('Settings saved'), 'dialogStatus'],
  ['suggestions', reply.suggestions('timeZone', [{ text: 'Europe/Paris', value: 'Europe/Paris' }]), 'suggestions'],
  ['asking to configure', reply.requestConfig('https://example.com/configure'), 'requestConfig'],
  ['an acknowledgement', reply.ack(), 'none'],
])('%s reads the same in both formats', (_what, r, kind) => {
  const classic = read('chat', r);
  const addon = read('addon', r);
  expect([classic.kind, addon.kind]).toEqual([kind, kind]);
  // The same message, text and privacy, in both; an add-on's card actions name the endpoint URL.
  if ((classic.kind === 'newMessage' || classic.kind === 'updateMessage') && addon.kind === classic.kind) {
    expect(addon.message).toMatchObject({ ...classic.message, ...(classic.message.cardsV2 ? { cardsV2: [expect.anything()] } : {}) });
    if (addon.message.cardsV2) expect(JSON.stringify(addon.message.cardsV2)).toContain(`"function":"${ENDPOINT}"`);
  }
  if (classic.kind === 'dialogStatus') expect(addon).toEqual(classic);
  if (classic.kind === 'suggestions' && addon.kind === 'suggestions') expect(addon.items).toEqual(classic.items);
  if (classic.kind === 'requestConfig') expect(addon).toEqual(classic);
});

test('a dialog error keeps the dialog open with its message: an actionStatus, or an add-on notification', () => {
  const r = reply.dialogError('INVALID_ARGUMENT', 'Choose one time zone');
  expect(read('chat', r, true)).toEqual({ kind: 'dialogStatus', statusCode: 'INVALID_ARGUMENT', userFacingMessage: 'Choose one time zone' });
  expect(read('addon', r, true)).toEqual({ kind: 'notification', text: 'Choose one time zone' });
  expect(read('addon', reply.dialog(settings), true)).toMatchObject({ kind: 'dialog' });
});

test.each<[string, unknown, RegExp]>([
  ['a bare message', { text: 'hi' }, /bare Chat message/],
  ['a classic actionResponse', { actionResponse: { type: 'NEW_MESSAGE' }, text: 'hi' }, /bare Chat message/],
  ['two answers at once', { hostAppDataAction: {}, action: {} }, /one of hostAppDataAction, action/],
  ['two data actions', { hostAppDataAction: { chatDataAction: { createMessageAction: { message: { text: 'a' } }, updateMessageAction: { message: { text: 'b' } } } } }, /exactly one action/],
  ['an empty new message', { hostAppDataAction: { chatDataAction: { createMessageAction: { message: {} } } } }, /without text or cards/],
  ['the short form of endNavigation', { action: { navigations: [{ endNavigation: 'CLOSE_DIALOG' }] } }, /endNavigation \{ action/],
  ['an unknown answer', { renderActions: { action: {} } }, /one of hostAppDataAction/],
])('an add-on answering with %s is refused', (_what, body, reason) => {
  const answer = readAnswer('addon', 200, body);
  expect(answer.kind).toBe('invalid');
  expect(answer.kind === 'invalid' && answer.reason).toMatch(reason);
});
