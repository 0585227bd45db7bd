/**
 * The baseline for `npm run bench`: the same Chat app written the usual way, as most samples do.
 *
 * - Everything is loaded and every client created at module top: the whole `googleapis` package
 *   (for `google.chat`), Firestore, Pub/Sub and google-auth-library, in one file that both functions load.
 * - Every event does one Firestore read and one Firestore write: the space (or the poll) is read,
 *   and the effect (or, for a command without one, an interaction record) is written.
 * - No dedupe: a redelivered event runs again; the worker posts with a plain `messages.create`.
 * - Pub/Sub publishes with the client's default batching.
 *
 * It is not a straw man: the token is verified as strictly as the app does (RS256 against the
 * certs URL, audience, issuer), and the certificates are fetched once per instance, not per event.
 * Plain CommonJS JavaScript, like the samples; served by the functions-framework CLI with
 * `--source=bench/baseline --target=chatEvents|chatWorker`, configured by the app's env vars.
 */
'use strict';
const functions = require('@google-cloud/functions-framework');
const { google } = require('googleapis');
const { Firestore } = require('@google-cloud/firestore');
const { PubSub } = require('@google-cloud/pubsub');
const { OAuth2Client } = require('google-auth-library');

const PROJECT = process.env.GOOGLE_CLOUD_PROJECT;
const AUDIENCE = process.env.CHAT_AUDIENCE;
const CERTS_URL =
  process.env.CHAT_CERTS_URL || 'https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com';
const CHAT_ISSUER = 'chat@system.gserviceaccount.com';
const CHAT_ROOT = process.env.CHAT_API_ROOT_URL || 'https://chat.googleapis.com/';
const LOCAL_CHAT = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost)[:/]/.test(CHAT_ROOT);

const db = new Firestore({ projectId: PROJECT });
const topic = new PubSub({ projectId: PROJECT }).topic(process.env.JOBS_TOPIC || 'chat-jobs');
const chat = google.chat({
  version: 'v1',
  rootUrl: CHAT_ROOT,
  ...(LOCAL_CHAT ? {} : { auth: new google.auth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/chat.bot'] }) }),
});
const authClient = new OAuth2Client();
let certs;

async function verify(req) {
  const token = /^Bearer (\S+)$/.exec(req.get('authorization') || '')?.[1];
  if (!token) throw new Error('no token');
  if (!certs) certs = await (await fetch(CERTS_URL)).json();
  await authClient.verifySignedJwtWithCertsAsync(token, certs, AUDIENCE, [CHAT_ISSUER]);
}

const spaceId = (event) => event.space.name.split('/')[1];
const userKey = (user) => user.name.replace(/\W/g, '_');
const card = (id, title, widgets) => ({ cardsV2: [{ cardId: id, card: { header: { title }, sections: [{ widgets }] } }] });
const text = (t) => ({ decoratedText: { text: t } });

function pollCard(id, poll) {
  const counts = poll.options.map((_, i) => Object.values(poll.votes || {}).filter((v) => v === i).length);
  return card(
    `poll-${id}`,
    poll.question,
    poll.options.map((o, i) => ({
      decoratedText: {
        text: o,
        bottomLabel: `${counts[i]} votes`,
        button: { text: 'Vote', onClick: { action: { function: 'pollVote', parameters: [{ key: 'poll', value: id }, { key: 'option', value: String(i) }] } } },
      },
    })),
  );
}

async function onCommand(event) {
  const id = Number(event.message.slashCommand.commandId);
  const space = db.collection('spaces').doc(spaceId(event));
  const settings = (await space.get()).data() || {};
  if (id === 1) {
    await db.collection('interactions').add({ space: event.space.name, user: event.user.name, command: 1, at: new Date() });
    return card('about', 'Team Assistant', [text('Polls, reports and notifications for this space'), text(`Time zone: ${settings.timeZone || 'UTC'}`)]);
  }
  if (id === 3) {
    const [question, ...options] = [...(event.message.argumentText || '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const poll = { question, options, votes: {}, creator: event.user.name, createdAt: new Date() };
    const ref = await space.collection('polls').add(poll);
    return pollCard(ref.id, poll);
  }
  if (id === 4) {
    const job = await db.collection('jobs').add({ space: event.space.name, thread: event.message.thread?.name || null, status: 'QUEUED' });
    await topic.publishMessage({ json: { jobId: job.id } });
    return { text: '📊 Working on the activity report for this space. I will post it in this thread.' };
  }
  return { text: 'Unknown command.' };
}

async function onVote(event) {
  const params = event.common?.parameters || {};
  const ref = db.collection('spaces').doc(spaceId(event)).collection('polls').doc(params.poll);
  const poll = (await ref.get()).data();
  if (!poll) return { text: 'This poll no longer exists.' };
  const option = Number(params.option);
  await ref.update({ [`votes.${userKey(event.user)}`]: option });
  poll.votes[userKey(event.user)] = option;
  return { actionResponse: { type: 'UPDATE_MESSAGE' }, ...pollCard(params.poll, poll) };
}

async function onAdded(event) {
  await db.collection('spaces').doc(spaceId(event)).set({ name: event.space.name, addedBy: event.user.name, addedAt: new Date() });
  return { text: 'Thanks for adding me! Type / to see my commands.' };
}

functions.http('chatEvents', async (req, res) => {
  try {
    await verify(req);
  } catch {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  const event = req.body;
  try {
    if (event.type === 'MESSAGE' && event.message?.slashCommand) res.json(await onCommand(event));
    else if (event.type === 'CARD_CLICKED' && event.common?.invokedFunction === 'pollVote') res.json(await onVote(event));
    else if (event.type === 'ADDED_TO_SPACE') res.json(await onAdded(event));
    else res.json({ text: 'Hello! Type / to see my commands.' });
  } catch (err) {
    console.error(err);
    res.status(500).json({ error: 'internal error' });
  }
});

functions.cloudEvent('chatWorker', async (cloudEvent) => {
  const { jobId } = JSON.parse(Buffer.from(cloudEvent.data.message.data, 'base64').toString());
  const ref = db.collection('jobs').doc(jobId);
  const job = (await ref.get()).data();
  if (!job) return;
  await chat.spaces.messages.create({
    parent: job.space,
    messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
    requestBody: { text: '📊 Activity report: no activity recorded yet.', ...(job.thread ? { thread: { name: job.thread } } : {}) },
  });
  await ref.update({ status: 'DONE' });
});
