/**
 * The schema validator on good and bad examples: each bad one must be caught, naming its JSON path;
 * the good ones (Google's documented shapes, docs/chat-protocol.md §3.3–§4.3) must pass.
 */
import { answerFormatOf, validateAnswer, validateCard, validateMessageBody } from '../../local/schema/answers';

const paths = (vs: { path: string; problem: string }[]) => vs.map((v) => `${v.path}: ${v.problem}`);

const button = (text: string, fn = 'go') => ({ text, onClick: { action: { function: fn, parameters: [{ key: 'k', value: 'v' }] } } });
const goodCard = {
  header: { title: 'Deploy staging?', subtitle: 'requested by Ada', imageType: 'CIRCLE' },
  sections: [
    {
      header: 'Details',
      collapsible: true,
      uncollapsibleWidgetsCount: 1,
      widgets: [
        { decoratedText: { topLabel: 'Commit', text: '<b>abc</b>', startIcon: { knownIcon: 'DESCRIPTION' } } },
        { buttonList: { buttons: [button('Approve'), { text: 'Open', onClick: { openLink: { url: 'https://example.com' } } }] } },
        { divider: {} },
        { selectionInput: { name: 'p', label: 'P', type: 'DROPDOWN', items: [{ text: 'a', value: 'a', selected: true }] } },
        { textInput: { name: 't', label: 'T', type: 'SINGLE_LINE' } },
      ],
    },
  ],
};

describe('Google schema validator', () => {
  it('accepts the documented answers in each format', () => {
    expect(validateAnswer('chat', { text: 'hi', cardsV2: [{ cardId: 'c', card: goodCard }], privateMessageViewer: { name: 'users/1' } })).toEqual([]);
    expect(validateAnswer('chat', { actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: { statusCode: 'OK', userFacingMessage: 'Saved' } } } })).toEqual([]);
    expect(validateAnswer('chat', { actionResponse: { type: 'UPDATE_WIDGET', updatedWidget: { widget: 'w', suggestions: { items: [{ text: 'a', value: 'a' }] } } } })).toEqual([]);
    expect(validateAnswer('addon', { hostAppDataAction: { chatDataAction: { createMessageAction: { message: { text: 'hi' } } } } })).toEqual([]);
    expect(validateAnswer('addon', { action: { navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }], notification: { text: 'ok' } } })).toEqual([]);
    expect(validateAnswer('addon', { basicAuthorizationPrompt: { authorizationUrl: 'https://x.example', resource: 'x' } })).toEqual([]);
    expect(validateAnswer('home', { renderActions: { action: { navigations: [{ updateCard: goodCard }] } } })).toEqual([]);
    expect(validateAnswer('chat', {})).toEqual([]);
  });

  it('reads both spellings of a name, as the proto3 JSON mapping does', () => {
    expect(validateMessageBody({ text: 'x', cards_v2: [{ card_id: 'c', card: { sections: [{ widgets: [{ text_paragraph: { text: 'a' } }] }] } }] })).toEqual([]);
    expect(paths(validateMessageBody({ text: 'x', cardsV2: [], cards_v2: [] }))).toEqual(['cards_v2: field given twice, as "cardsV2" and "cards_v2"']);
  });

  it('names a misspelt field with its path', () => {
    const card = { sections: [{ widgets: [{ textParagraph: { txt: 'a' } }] }] };
    expect(paths(validateMessageBody({ cardsV2: [{ cardId: 'c', card }] }))).toEqual([
      'cardsV2[0].card.sections[0].widgets[0].textParagraph.txt: unknown field "txt" in google.apps.card.v1.TextParagraph',
    ]);
    expect(paths(validateMessageBody({ txt: 'hi' }))).toEqual(['txt: unknown field "txt" in google.chat.v1.Message']);
  });

  it('refuses wrong JSON types', () => {
    expect(paths(validateMessageBody({ text: 5 }))).toEqual(['text: expected a string, got number 5']);
    expect(paths(validateCard({ sections: { widgets: [] } }))).toEqual(['sections: expected an array, got an object']);
    expect(paths(validateCard({ sections: [{ collapsible: 'yes', widgets: [{ divider: {} }] }] }))).toEqual(['sections[0].collapsible: expected a boolean, got string "yes"']);
    expect(paths(validateCard({ sections: [{ uncollapsibleWidgetsCount: 1.5, widgets: [{ divider: {} }] }] }))).toEqual([
      'sections[0].uncollapsibleWidgetsCount: expected an integer (int32), got number 1.5',
    ]);
  });

  it('refuses unknown enum values', () => {
    expect(paths(validateAnswer('chat', { actionResponse: { type: 'UPDATE_CARD' } }))[0]).toMatch(/^actionResponse\.type: unknown ResponseType value string "UPDATE_CARD"/);
    expect(paths(validateCard({ sections: [{ widgets: [{ textInput: { name: 'a', label: 'A', type: 'ONE_LINE' } }] }] }))[0]).toMatch(/^sections\[0\]\.widgets\[0\]\.textInput\.type: unknown Type value/);
  });

  it('refuses two kinds in one widget, and a widget or a click with none', () => {
    expect(paths(validateCard({ sections: [{ widgets: [{ textParagraph: { text: 'a' }, divider: {} }] }] }))).toEqual([
      'sections[0].widgets[0]: more than one of oneof "data": textParagraph, divider',
    ]);
    expect(paths(validateCard({ sections: [{ widgets: [{ horizontalAlignment: 'CENTER' }] }] }))[0]).toMatch(/^sections\[0\]\.widgets\[0\]: a widget with no kind: set one of textParagraph, image/);
    expect(paths(validateCard({ sections: [{ widgets: [{ buttonList: { buttons: [{ text: 'x', onClick: {} }] } }] }] }))[0]).toMatch(
      /^sections\[0\]\.widgets\[0\]\.buttonList\.buttons\[0\]\.onClick: an onClick with no kind/,
    );
  });

  it('refuses a missing required field', () => {
    expect(paths(validateCard({ header: { subtitle: 's' }, sections: [{ widgets: [{ divider: {} }] }] }))).toEqual([
      'header.title: required field is missing (CardHeader.title)',
    ]);
    expect(paths(validateCard({ sections: [{ widgets: [{ buttonList: { buttons: [{ text: 'x' }] } }] }] }))).toEqual([
      'sections[0].widgets[0].buttonList.buttons[0].onClick: required field is missing (Button.on_click)',
    ]);
  });

  it("enforces Chat's documented limits", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ textParagraph: { text: `w${i}` } }));
    expect(validateCard({ sections: [{ widgets: many(100) }] })).toEqual([]);
    expect(paths(validateCard({ sections: [{ widgets: many(60) }, { widgets: many(41) }] }))).toEqual(["(root): 101 widgets in one card, over Chat's 100"]);
    expect(paths(validateMessageBody({ text: 'x'.repeat(32_001) }))[0]).toMatch(/^\(root\): message is \d+ bytes, over Chat's 32000/);
    const items = Array.from({ length: 101 }, (_, i) => ({ text: `${i}`, value: `${i}` }));
    expect(paths(validateCard({ sections: [{ widgets: [{ selectionInput: { name: 's', label: 'S', items } }] }] }))).toEqual([
      "sections[0].widgets[0].selectionInput.items: 101 items, over Chat's 100",
    ]);
    expect(paths(validateMessageBody({ cardsV2: [{ card: goodCard }, { card: goodCard }] }))).toEqual(['cardsV2: several cards: each needs a cardId']);
  });

  it('checks the add-on envelope strictly and the Message and Card inside it', () => {
    expect(paths(validateAnswer('addon', { text: 'bare' }))[0]).toMatch(/^text: unknown field "text"/);
    expect(paths(validateAnswer('addon', { hostAppDataAction: { chatDataAction: { createMessageAction: { message: { text: 'a', colour: 1 } } } } }))).toEqual([
      'hostAppDataAction.chatDataAction.createMessageAction.message.colour: unknown field "colour" in google.chat.v1.Message',
    ]);
    expect(paths(validateAnswer('addon', { action: { navigations: [{ pushCard: { sections: [{ widgets: [{}] }] } }] } }))[0]).toMatch(
      /^action\.navigations\[0\]\.pushCard\.sections\[0\]\.widgets\[0\]: a widget with no kind/,
    );
    expect(paths(validateAnswer('addon', { action: { navigations: [{ endNavigation: { action: 'CLOSE' } }] } }))[0]).toMatch(/^action\.navigations\[0\]\.endNavigation\.action: expected one of/);
    expect(paths(validateAnswer('addon', { action: { navigations: [{ pushCard: goodCard, updateCard: goodCard }] } }))).toEqual([
      'action.navigations[0]: more than one of pushCard, updateCard',
    ]);
  });

  it('tells the answer format from the event', () => {
    expect(answerFormatOf({ type: 'MESSAGE' })).toBe('chat');
    expect(answerFormatOf({ chat: { type: 'APP_HOME' } })).toBe('home');
    expect(answerFormatOf({ type: 'APP_HOME' })).toBe('home');
    expect(answerFormatOf({ type: 'CARD_CLICKED', common: { parameters: { __home: '1' } } })).toBe('home');
    expect(answerFormatOf({ chat: { user: {} }, commonEventObject: {} })).toBe('addon');
  });
});
