/**
 * Case 2, forged tokens against every route in every mode: 401 and zero writes.
 * Case 3, duplicate storms: 20 events, each delivered 50 times at once: exactly 20 effects.
 * Case 8, removal under concurrent activity: nothing of the space is left.
 */
import { createAppRouter } from '../../functions/app';
import { chatTokenClaims, signHs256, unsignedToken, createSigner, LOCAL_ADDON_SERVICE_ACCOUNT } from '../../local/signing';
import type { AudienceMode } from '../../shared/config';
import { ADA, addedEvent, cardClickedEvent, GRACE, messageEvent, newSpace, randomProjectId, removedEvent, slashCommandEvent, widgetUpdatedEvent } from '../helpers/chat-events';
import { startEventsServer } from '../helpers/events-server';
import { allDocumentPaths, testFirestore } from '../helpers/firestore';
import { record } from './record';

type Json = Record<string, unknown>;

/** One event per route the app has. */
function everyRoute(space: Json): [string, Json][] {
  const link = messageEvent(space, 'https://x.example/polls/S1/aaaaaaaaaaaaaaaaaaaa');
  (link.message as Json).matchedUrl = { url: 'https://x.example/polls/S1/aaaaaaaaaaaaaaaaaaaa' };
  return [
    ['/about', slashCommandEvent(space, 1, '/about')],
    ['/config', slashCommandEvent(space, 2, '/config', '', { isDialogEvent: true, dialogEventType: 'REQUEST_DIALOG' })],
    ['/poll', slashCommandEvent(space, 3, '/poll', '"Q?" "A" "B"')],
    ['/report', slashCommandEvent(space, 4, '/report')],
    ['/notify', slashCommandEvent(space, 5, '/notify')],
    ['vote', cardClickedEvent(space, 'pollVote', { poll: 'a'.repeat(20), option: '0' })],
    ['config save', cardClickedEvent(space, 'configSave', {}, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG', common: { invokedFunction: 'configSave', formInputs: { timeZone: { stringInputs: { value: ['UTC'] } } } } })],
    ['autocomplete', widgetUpdatedEvent(space, 'configTimeZones', 'eu')],
    ['added', addedEvent(space)],
    ['removed', removedEvent(space)],
    ['message', messageEvent(space, 'hello')],
    ['link preview', link],
  ];
}

describe('forged tokens', () => {
  const modes: AudienceMode[] = ['project-number', 'endpoint-url', 'addon'];
  test.each(modes)('%s mode: every forgery on every route → 401, nothing written', async (mode) => {
    const projectId = randomProjectId(`forged-${mode}`);
    const server = await startEventsServer({
      projectId,
      router: createAppRouter(),
      mode,
      env: mode === 'addon' ? { CHAT_ADDON_SERVICE_ACCOUNT: LOCAL_ADDON_SERVICE_ACCOUNT } : {},
    });
    const audience = server.config.audience;
    const claims = (o: Json = {}) => chatTokenClaims(mode, audience, o);
    const now = Math.floor(Date.now() / 1000);
    const stranger = createSigner({ kid: server.signer.kid });
    const forgeries: [string, string | null][] = [
      ['missing', null],
      ['not a JWT', 'not-a-jwt'],
      ['expired', server.signer.sign(claims({ iat: now - 7200, exp: now - 3600 }))],
      ['iat in the future', server.signer.sign(claims({ iat: now + 3600, exp: now + 7200 }))],
      ['wrong aud', server.signer.sign(claims({ aud: mode === 'project-number' ? '999' : 'https://evil.example.com/' }))],
      ['wrong iss', server.signer.sign(claims({ iss: 'https://evil.example.com' }))],
      ['unknown kid', server.signer.sign(claims(), { kid: 'nope' })],
      ['bad signature', stranger.sign(claims())],
      ['alg none', unsignedToken(claims(), { kid: server.signer.kid })],
      ['HS256 with the public key', signHs256(claims(), server.signer.publicKeyPem, { kid: server.signer.kid })],
      ...(mode === 'project-number'
        ? []
        : ([
            ['another email', server.signer.sign(claims({ email: 'someone@evil.example.com' }))],
            ['email not verified', server.signer.sign(claims({ email_verified: false }))],
          ] as [string, string][])),
    ];
    const space = newSpace();
    let tried = 0;
    let refused = 0;
    const leaks: string[] = [];
    for (const [route, event] of everyRoute(space)) {
      for (const [forgery, token] of forgeries) {
        tried++;
        const res = await server.post(event, { token });
        if (res.status === 401 && typeof (res.json as { error?: unknown }).error === 'string') refused++;
        else leaks.push(`${route} / ${forgery}: ${res.status}`);
      }
    }
    const written = await allDocumentPaths(testFirestore(projectId));
    record({ case: `forged tokens (${mode})`, tried, survived: refused, lost: 0, doubled: 0, notes: `${forgeries.length} forgeries × ${tried / forgeries.length} routes; ${written.length} documents written` });
    await server.stop();
    expect(leaks).toEqual([]);
    expect(written).toEqual([]);
  });
});

describe('duplicate storms', () => {
  test('20 different events, each delivered 50 times concurrently: exactly 20 effects, identical answers', async () => {
    const projectId = randomProjectId('storm');
    const db = testFirestore(projectId);
    const server = await startEventsServer({ projectId, router: createAppRouter(), env: { DELIVERY_WAIT_MS: '20000' } });
    const space = newSpace();
    await server.post(addedEvent(space));
    const events = Array.from({ length: 20 }, (_, i) => slashCommandEvent(space, 3, '/poll', `"Question ${i}?" "Yes" "No"`));
    let identical = 0;
    let non200 = 0;
    for (let i = 0; i < events.length; i += 5) {
      const batch = events.slice(i, i + 5);
      const answers = await Promise.all(batch.map((e) => Promise.all(Array.from({ length: 50 }, () => server.post(e)))));
      for (const a of answers) {
        non200 += a.filter((r) => r.status !== 200).length;
        if (new Set(a.map((r) => r.text)).size === 1) identical++;
      }
    }
    const polls = await db.collection('spaces').doc(String(space.name).slice(7)).collection('polls').get();
    const questions = polls.docs.map((d) => d.get('question') as string);
    const lost = events.length - new Set(questions).size;
    const doubled = questions.length - new Set(questions).size;
    record({ case: 'duplicate storm (20 × 50)', tried: 1000, survived: 1000 - non200, lost, doubled, notes: `${identical}/20 events answered identically every time` });
    await server.stop();
    expect(non200).toBe(0);
    expect(identical).toBe(20);
    expect(polls.size).toBe(20);
  });
});

describe('removal under concurrent activity', () => {
  test('REMOVED_FROM_SPACE while votes, polls, settings and webhooks are in flight: nothing of the space is left', async () => {
    const projectId = randomProjectId('removal');
    const db = testFirestore(projectId);
    const server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_EVENTS_URL: 'https://chat-app.example.com/' } });
    const runs = 5;
    let clean = 0;
    let leftovers = 0;
    for (let run = 0; run < runs; run++) {
      const space = newSpace();
      const id = String(space.name).slice(7);
      await server.post(addedEvent(space));
      const poll = (await server.post(slashCommandEvent(space, 3, '/poll', '"Lunch?" "Yes" "No"'))).json as { cardsV2: { cardId: string }[] };
      const pollId = poll.cardsV2[0].cardId.replace('poll-', '');
      const activity = [
        ...Array.from({ length: 20 }, (_, i) => cardClickedEvent(space, 'pollVote', { poll: pollId, option: String(i % 2) }, { user: { name: `users/v${i}`, displayName: `Voter ${i}` } })),
        ...Array.from({ length: 5 }, (_, i) => slashCommandEvent(space, 3, '/poll', `"Q${i}?" "A" "B"`)),
        slashCommandEvent(space, 5, '/notify'),
        cardClickedEvent(space, 'configSave', {}, { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG', user: GRACE, common: { invokedFunction: 'configSave', formInputs: { timeZone: { stringInputs: { value: ['Europe/Paris'] } } } } }),
        messageEvent(space, 'report please', { user: ADA }),
      ];
      const inFlight = activity.map((e, i) => new Promise((r) => setTimeout(r, i * 3)).then(() => server.post(e)));
      await new Promise((r) => setTimeout(r, 20));
      const removal = server.post(removedEvent(space));
      await Promise.all([...inFlight, removal]);
      const left = (await allDocumentPaths(db)).filter((p) => p.includes(id));
      const namingSpace = [
        ...(await db.collection('deliveries').where('space', '==', space.name).get()).docs,
        ...(await db.collection('jobs').where('space', '==', space.name).get()).docs,
      ];
      if (left.length === 0 && namingSpace.length === 0) clean++;
      leftovers += left.length + namingSpace.length;
    }
    record({ case: 'removal under concurrent activity', tried: runs, survived: clean, lost: 0, doubled: 0, notes: `${leftovers} documents of removed spaces left; 28 events in flight per run` });
    await server.stop();
    expect(leftovers).toBe(0);
  });
});
