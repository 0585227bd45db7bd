/**
 * Every Reply kind rendered as add-on actions (docs/chat-protocol.md §4.3), and every card action pointed at the
 * endpoint URL with its handler in `__fn` (docs/chat-protocol.md §4.1), checked against the protocol's forms.
 */
import { action, button, buttonList, card, decoratedText, section, selectionInput, textParagraph, withId } from '../../shared/replies/cards';
import { pointActionsAt, renderAddonResponse } from '../../shared/replies/render-addon';
import { reply, type Reply } from '../../shared/replies/responses';

const URL_ = 'https://chat-app.example.test/chat/';
const render = (r: Reply, inDialog = false) => renderAddonResponse(r, { endpointUrl: URL_, inDialog });
const fnParam = (value: string) => ({ key: '__fn', value });

const formCard = card({
  title: 'Form',
  sections: [
    section([
      selectionInput('zone', 'Zone', 'MULTI_SELECT', [], { autocomplete: action('zones', { scope: 'eu' }) }),
      decoratedText('Row', { button: button('Edit', action('editRow', { row: '3' })) }),
      buttonList(button('Docs', { url: 'https://example.com/docs' })),
    ]),
  ],
});

describe('renderAddonResponse', () => {
  test('message → createMessageAction with the Chat message (private, accessory widgets and all)', () => {
    const r = reply.private('users/1', { text: 'hi', accessoryWidgets: [buttonList(button('Vote', action('vote', { option: '1' })))] });
    expect(render(r)).toEqual({
      hostAppDataAction: {
        chatDataAction: {
          createMessageAction: {
            message: {
              text: 'hi',
              accessoryWidgets: [{ buttonList: { buttons: [{ text: 'Vote', onClick: { action: { function: URL_, parameters: [{ key: 'option', value: '1' }, fnParam('vote')] } } }] } }],
              privateMessageViewer: { name: 'users/1' },
            },
          },
        },
      },
    });
  });

  test('updateMessage → updateMessageAction', () => {
    expect(render(reply.updateMessage({ text: 'edited' }))).toEqual({ hostAppDataAction: { chatDataAction: { updateMessageAction: { message: { text: 'edited' } } } } });
  });

  test('updateUserMessageCards (link preview) → updateInlinePreviewAction.cardsV2', () => {
    const r = reply.updateUserMessageCards([withId('preview', card({ title: 'Poll', sections: [section([textParagraph('x')])] }))]);
    expect(render(r)).toEqual({
      hostAppDataAction: { chatDataAction: { updateInlinePreviewAction: { cardsV2: [{ cardId: 'preview', card: { header: { title: 'Poll' }, sections: [{ widgets: [{ textParagraph: { text: 'x' } }] }] } }] } } },
    });
  });

  test('dialog → pushCard when it opens, updateCard for a step inside an open dialog; every action pointed at the endpoint', () => {
    const dialog: Reply = { kind: 'dialog', card: { ...formCard, fixedFooter: { primaryButton: button('Save', action('save')) } } };
    const opened = render(dialog) as { action: { navigations: { pushCard: { sections: unknown[]; fixedFooter: unknown } }[] } };
    const pushed = opened.action.navigations[0].pushCard;
    expect(pushed.fixedFooter).toEqual({ primaryButton: { text: 'Save', onClick: { action: { function: URL_, parameters: [fnParam('save')] } } } });
    expect(pushed.sections).toEqual([
      {
        widgets: [
          { selectionInput: { name: 'zone', label: 'Zone', type: 'MULTI_SELECT', items: [], externalDataSource: { function: URL_, parameters: [{ key: 'scope', value: 'eu' }, fnParam('zones')] } } },
          { decoratedText: { text: 'Row', button: { text: 'Edit', onClick: { action: { function: URL_, parameters: [{ key: 'row', value: '3' }, fnParam('editRow')] } } } } },
          { buttonList: { buttons: [{ text: 'Docs', onClick: { openLink: { url: 'https://example.com/docs' } } }] } },
        ],
      },
    ]);
    expect(render(dialog, true)).toEqual({ action: { navigations: [{ updateCard: pushed }] } });
  });

  test('closeDialog OK → endNavigation CLOSE_DIALOG, with the text as a notification when there is one', () => {
    expect(render(reply.closeDialog('Saved'))).toEqual({ action: { navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }], notification: { text: 'Saved' } } });
    expect(render(reply.closeDialog())).toEqual({ action: { navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }] } });
  });

  test('closeDialog with an error status keeps the dialog open with a notification', () => {
    expect(render(reply.dialogError('INVALID_ARGUMENT', 'Title is required'))).toEqual({ action: { notification: { text: 'Title is required' } } });
    expect(render({ kind: 'closeDialog', status: 'UNKNOWN' })).toEqual({ action: { notification: { text: expect.stringContaining('UNKNOWN') } } });
  });

  test('suggestions → modifyOperations updateWidget selectionInputWidgetSuggestions', () => {
    expect(render(reply.suggestions('zone', [{ text: 'Europe', value: 'eu' }]))).toEqual({
      action: { modifyOperations: [{ updateWidget: { selectionInputWidgetSuggestions: { suggestions: [{ text: 'Europe', value: 'eu' }] } } }] },
    });
  });

  test('requestConfig → basicAuthorizationPrompt (the documented camelCase names), the URL’s host as the resource', () => {
    expect(render(reply.requestConfig('https://config.example.com/setup?space=1'))).toEqual({
      basicAuthorizationPrompt: { authorizationUrl: 'https://config.example.com/setup?space=1', resource: 'config.example.com' },
    });
  });

  test('ack → {}', () => {
    expect(render(reply.ack())).toEqual({});
  });

  test('without an endpoint URL (project-number mode) actions keep their function names', () => {
    const r = reply.message({ accessoryWidgets: [buttonList(button('Vote', action('vote')))] });
    expect(renderAddonResponse(r, { inDialog: false })).toEqual({
      hostAppDataAction: { chatDataAction: { createMessageAction: { message: { accessoryWidgets: [{ buttonList: { buttons: [{ text: 'Vote', onClick: { action: { function: 'vote' } } }] } }] } } } },
    });
  });
});

describe('pointActionsAt', () => {
  test('leaves a function that is already a URL, replaces a stale __fn, and does not touch its input', () => {
    const input = {
      a: { function: 'https://elsewhere.example.com/hook', parameters: [{ key: 'k', value: 'v' }] },
      b: { function: 'vote', parameters: [{ key: '__fn', value: 'old' }, { key: 'k', value: 'v' }] },
    };
    const copy = JSON.parse(JSON.stringify(input));
    expect(pointActionsAt(input, URL_)).toEqual({
      a: input.a,
      b: { function: URL_, parameters: [{ key: 'k', value: 'v' }, fnParam('vote')] },
    });
    expect(input).toEqual(copy);
  });
});
