/**
 * Which handler answers an event, and what the router answers itself (unknown commands and
 * buttons, a closed dialog, events nobody handles, commands that need a dialog where there is
 * none). Events are normalized from the shapes Chat sends; the answer is the handler's `Reply`.
 * The same routes over HTTP, in both wire formats: test/events/routing.test.ts.
 */
import { reply } from '../../shared/replies/responses';
import type { HandlerContext } from '../../shared/routing/context';
import { commandsOf, defineFeature, routeLabels, tasksOf } from '../../shared/routing/feature';
import { NOT_A_MANAGER } from '../../shared/permissions/managers-only';
import { Router } from '../../shared/routing/router';
import {
  addedEvent,
  appHomeEvent,
  cardClickedEvent,
  dialogCancelEvent,
  dialogCommandEvent,
  messageEvent,
  newSpace,
  normalized,
  removedEvent,
  slashCommandEvent,
  widgetUpdatedEvent,
} from '../helpers/chat-events';

type Json = Record<string, unknown>;
const space = newSpace();
const event = normalized;
/** The handlers here read nothing from their context. */
const ctx = {} as HandlerContext;
async function answer(router: Router, body: Json) {
  const e = event(body);
  const route = router.resolve(e);
  return { name: route.name, pure: route.pure, batched: route.batched ?? false, reply: await route.handler(e, ctx) };
}
const says = (text: string) => () => reply.text(text);
const privately = (text: string) => ({ kind: 'message', message: { text, privateTo: 'users/1111' } });

const about = { id: 1, name: '/about', description: 'about the app' };
const seven = { id: 7, name: '/seven', description: 'the seventh' };
const poll = { id: 3, name: '/poll', description: 'opens a form', opensDialog: true, withoutDialogs: 'Polls need a dialog: use the web app.' };

describe('commands', () => {
  const router = new Router().command(seven, says('seventh'), { pure: true }).command(about, says('about'), { batched: true });

  test('a command is answered by the handler of its id, whatever name was typed', async () => {
    expect(await answer(router, slashCommandEvent(space, 7, '/renamed'))).toEqual({ name: 'command:7', pure: true, batched: false, reply: reply.text('seventh') });
    expect(await answer(router, slashCommandEvent(space, 1, '/about'))).toMatchObject({ name: 'command:1', pure: false, batched: true, reply: reply.text('about') });
  });

  test('an unknown command gets a private answer listing the known ones, by id', async () => {
    expect(await answer(router, slashCommandEvent(space, 99, '/gone'))).toEqual({
      name: 'command:unknown',
      pure: true,
      batched: false,
      reply: privately("I don't know that command. Try one of: /about, /seven."),
    });
    expect(router.commandList().map((c) => c.id)).toEqual([1, 7]);
  });

  test('a pure route is never batched: it has no record to commit writes with', async () => {
    const r = new Router().command(about, says('about'), { pure: true, batched: true });
    expect(await answer(r, slashCommandEvent(space, 1, '/about'))).toMatchObject({ pure: true, batched: false });
    expect(await answer(new Router().command(about, says('about')), slashCommandEvent(space, 1, '/about'))).toMatchObject({ pure: false, batched: false });
  });

  test('a command id registered twice, or a dialog command without what it does where no dialog opens, is refused at start', () => {
    expect(() => new Router().command(about, says('a')).command({ ...seven, id: 1 }, says('b'))).toThrow('command id 1 is registered twice');
    expect(() => new Router().command({ ...poll, withoutDialogs: undefined }, says('form'))).toThrow('command /poll opens a dialog');
    expect(() => new Router().command(poll, says('form'))).not.toThrow();
  });

  test('where Chat opens no dialogs, a dialog command answers its withoutDialogs text privately instead of running', async () => {
    let ran = 0;
    const handler = () => {
      ran++;
      return reply.text('form');
    };
    expect(await answer(new Router().command(poll, handler).withoutDialogs(), dialogCommandEvent(space, 3, '/poll'))).toEqual({
      name: 'command:3',
      pure: true,
      batched: false,
      reply: privately(poll.withoutDialogs),
    });
    expect(ran).toBe(0);
    expect((await answer(new Router().command(poll, handler), dialogCommandEvent(space, 3, '/poll'))).reply).toEqual(reply.text('form'));
    // Commands that open no dialog run as usual there.
    expect((await answer(new Router().command(about, says('about')).withoutDialogs(), slashCommandEvent(space, 1, '/about'))).reply).toEqual(reply.text('about'));
  });
});

describe('card actions and autocomplete', () => {
  const router = new Router().action('vote', says('voted'), { batched: true }).widget('zones', (e) => reply.suggestions('zones', [{ text: (e as { widget: { query: string } }).widget.query, value: 'z' }]));

  test('a click is answered by the handler of its function', async () => {
    expect(await answer(router, cardClickedEvent(space, 'vote'))).toEqual({ name: 'action:vote', pure: false, batched: true, reply: reply.text('voted') });
  });

  test('a click on a button no route knows gets a private answer, and changes nothing', async () => {
    expect(await answer(router, cardClickedEvent(space, 'retired'))).toEqual({
      name: 'action:unknown',
      pure: true,
      batched: false,
      reply: privately('That button is no longer supported. Try the command again.'),
    });
  });

  test("closing a dialog closes it, whichever function the dialog's buttons name", async () => {
    for (const fn of ['vote', 'retired']) expect(await answer(router, dialogCancelEvent(space, fn))).toEqual({ name: 'action:cancel', pure: true, batched: false, reply: reply.closeDialog() });
  });

  test('autocomplete is answered by its source, pure; an unknown source gets no suggestions', async () => {
    expect(await answer(router, widgetUpdatedEvent(space, 'zones', 'eu'))).toEqual({
      name: 'widget:zones',
      pure: true,
      batched: false,
      reply: reply.suggestions('zones', [{ text: 'eu', value: 'z' }]),
    });
    expect(await answer(router, widgetUpdatedEvent(space, 'cities', 'pa'))).toEqual({ name: 'widget:unknown', pure: true, batched: false, reply: reply.suggestions('cities', []) });
  });
});

describe('messages, link previews, App Home, removal', () => {
  test('a link preview goes to its own handler, else to the message handler', async () => {
    const preview: Json = messageEvent(space, 'see https://example.com/x');
    (preview.message as Json).matchedUrl = { url: 'https://example.com/x' };
    const both = new Router().message(says('message')).linkPreview(says('preview'), { pure: true });
    expect(await answer(both, preview)).toEqual({ name: 'linkPreview', pure: true, batched: false, reply: reply.text('preview') });
    expect(await answer(new Router().message(says('message')), preview)).toMatchObject({ name: 'linkPreview', pure: false, reply: reply.text('message') });
    expect(await answer(both, messageEvent(space, 'hello'))).toMatchObject({ name: 'message', reply: reply.text('message') });
  });

  test('an event nobody handles is acknowledged with nothing to show', async () => {
    for (const body of [messageEvent(space, 'hello'), removedEvent(space), appHomeEvent(newSpace('DM')), addedEvent(space)]) {
      const a = await answer(new Router(), body);
      expect(a).toMatchObject({ pure: true, batched: false, reply: reply.ack() });
      expect(a.name).toMatch(/^(message|removed|home|added):unhandled$/);
    }
  });

  test('App Home and removal reach their handlers; App Home is registered once', async () => {
    const router = new Router().home(says('home')).removed(says('bye'), { pure: true });
    expect(await answer(router, appHomeEvent(newSpace('DM')))).toMatchObject({ name: 'home', reply: reply.text('home') });
    expect(await answer(router, removedEvent(space))).toMatchObject({ name: 'removed', pure: true, reply: reply.text('bye') });
    expect(() => router.home(says('again'))).toThrow('App Home is registered twice');
  });
});

describe('added to a space by a message', () => {
  const onboarding = says('Thanks for adding me.');
  const byCommand = addedEvent(space, { message: (slashCommandEvent(space, 1, '/about') as Json).message, appCommandMetadata: { appCommandId: 1, appCommandType: 'SLASH_COMMAND' } });
  const byMention = addedEvent(space, { message: (messageEvent(space, 'hello') as Json).message });

  test("added by a command: the onboarding and the command's answer, in one message", async () => {
    const router = new Router().added(onboarding, { pure: true }).command(about, says('About this app.'), { pure: true });
    expect(await answer(router, byCommand)).toEqual({ name: 'added+command:1', pure: true, batched: false, reply: reply.text('Thanks for adding me.\n\nAbout this app.') });
  });

  test('it is pure only if both parts are', async () => {
    expect((await answer(new Router().added(onboarding).command(about, says('a'), { pure: true }), byCommand)).pure).toBe(false);
    expect((await answer(new Router().added(onboarding, { pure: true }).command(about, says('a')), byCommand)).pure).toBe(false);
    expect((await answer(new Router().command(about, says('a'), { pure: true }), byCommand)).pure).toBe(true);
    expect((await answer(new Router().command(about, says('a')), byCommand)).pure).toBe(false);
  });

  test("added by a mention: the message handler's answer joins the onboarding; without an onboarding, the answer alone", async () => {
    const router = new Router().added(onboarding).message((e) => reply.text(`You said ${e.kind === 'message' ? e.message.argumentText : '?'}`));
    expect(await answer(router, byMention)).toMatchObject({ name: 'added+message', reply: reply.text('Thanks for adding me.\n\nYou said hello') });
    expect((await answer(new Router().message(says('hi')), byMention)).reply).toEqual(reply.text('hi'));
  });

  test('an answer with nothing to show leaves the onboarding; an answer that is not a message is sent as it is', async () => {
    expect((await answer(new Router().added(onboarding).message(() => reply.ack()), byMention)).reply).toEqual(reply.text('Thanks for adding me.'));
    expect((await answer(new Router().added(onboarding).message(() => undefined), byMention)).reply).toEqual(reply.text('Thanks for adding me.'));
    const config = reply.requestConfig('https://example.com/connect');
    expect((await answer(new Router().added(onboarding).message(() => config), byMention)).reply).toEqual(config);
    expect((await answer(new Router().added(() => config).message(says('hi')), byMention)).reply).toEqual(reply.text('hi'));
  });

  test('the answer keeps its cards, with the texts joined; an onboarding without text adds none', async () => {
    const cards = reply.cards([], 'Pick one');
    expect((await answer(new Router().added(onboarding).message(() => cards), byMention)).reply).toEqual({
      kind: 'message',
      message: { text: 'Thanks for adding me.\n\nPick one', cardsV2: [] },
    });
    expect((await answer(new Router().added(() => reply.cards([])).message(says('hi')), byMention)).reply).toEqual(reply.text('hi'));
  });

  test('added without a message: the onboarding alone', async () => {
    expect(await answer(new Router().added(onboarding).message(says('hi')), addedEvent(space))).toMatchObject({ name: 'added', reply: reply.text('Thanks for adding me.') });
  });
});

describe('admin routes', () => {
  // A card parameter naming no space: the gate refuses before it asks anyone for a role.
  const gate = { spaceParameter: 'space' };
  let ran = 0;
  const admin = () => {
    ran++;
    return reply.text('changed');
  };
  beforeEach(() => {
    ran = 0;
  });

  test('an admin command or action, direct or from a feature, refuses without running where no manager is confirmed', async () => {
    const direct = new Router().command(about, admin, { managersOnly: gate }).action('rename', admin, { managersOnly: gate });
    const feature = new Router().use(
      defineFeature({ name: 'admin', command: { ...about, handler: admin, managersOnly: gate }, actions: { rename: { handler: admin, managersOnly: gate } } }),
    );
    for (const router of [direct, feature]) {
      expect((await answer(router, slashCommandEvent(space, 1, '/about'))).reply).toEqual(privately(NOT_A_MANAGER));
      expect((await answer(router, cardClickedEvent(space, 'rename'))).reply).toEqual(privately(NOT_A_MANAGER));
    }
    expect(ran).toBe(0);
    expect((await answer(new Router().action('rename', admin), cardClickedEvent(space, 'rename'))).reply).toEqual(reply.text('changed'));
  });
});

describe('features', () => {
  const task = async () => ({ text: 'done' });
  const report = defineFeature({
    name: 'report',
    command: { id: 4, name: '/report', description: 'activity', handler: says('working'), pure: true },
    actions: { refresh: { handler: says('refreshed'), label: 'Report refreshes' }, close: { handler: says('closed'), batched: true } },
    widgets: { days: () => reply.suggestions('days', []) },
    home: { handler: says('home'), pure: true },
    tasks: { report: task },
  });
  const notify = defineFeature({ name: 'notify', command: { ...seven, handler: says('notify') }, tasks: { webhook: task } });

  test("a feature's command, actions, autocomplete and App Home are routed with their options", async () => {
    const router = new Router().use(report);
    expect(await answer(router, slashCommandEvent(space, 4, '/report'))).toMatchObject({ name: 'command:4', pure: true, reply: reply.text('working') });
    expect(await answer(router, cardClickedEvent(space, 'refresh'))).toMatchObject({ name: 'action:refresh', pure: false, batched: false, reply: reply.text('refreshed') });
    expect(await answer(router, cardClickedEvent(space, 'close'))).toMatchObject({ batched: true, reply: reply.text('closed') });
    expect(await answer(router, widgetUpdatedEvent(space, 'days', '3'))).toMatchObject({ name: 'widget:days', pure: true });
    expect(await answer(router, appHomeEvent(newSpace('DM')))).toMatchObject({ name: 'home', pure: true, reply: reply.text('home') });
  });

  test('an action two features register is refused at start', () => {
    const twin = defineFeature({ name: 'twin', actions: { refresh: { handler: says('x') } } });
    expect(() => new Router().use(report).use(twin)).toThrow('action refresh is registered twice (feature twin)');
    expect(() => commandsOf([report, twin])).toThrow('registered twice');
  });

  test("the features' commands by id, and their tasks by kind; a kind registered twice is refused", () => {
    expect(commandsOf([notify, report]).map((c) => [c.id, c.name])).toEqual([[4, '/report'], [7, '/seven']]);
    expect(tasksOf([report, notify])).toEqual({ report: task, webhook: task });
    expect(() => tasksOf([report, defineFeature({ name: 'again', tasks: { report: task } })])).toThrow('job kind report is registered twice (feature again)');
  });

  test("the activity report's names of routes: commands by name, actions by label where they have one", () => {
    expect(routeLabels([report, notify, defineFeature({ name: 'empty' })])).toEqual({ command_4: '/report', action_refresh: 'Report refreshes', command_7: '/seven' });
  });
});
