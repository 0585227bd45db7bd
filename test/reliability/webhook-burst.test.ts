/**
 * A burst at one incoming webhook, far over its per-minute limit, from many clients at once: the
 * posts within the limit are accepted (202), every other one gets 429 with Retry-After, and none
 * gets a 5xx (the limiter must not turn contention on the hook's document into an outage).
 */
import { createAppRouter } from '../../functions/app';
import { JOBS } from '../../shared/jobs/model';
import { addedEvent, newSpace, randomProjectId, slashCommandEvent } from '../helpers/chat-events';
import { startEventsServer } from '../helpers/events-server';
import { testFirestore } from '../helpers/firestore';
import { record } from './record';

const PER_MINUTE = 10;
const BURST = 200;
const PUBLIC = 'https://chat-app.example.com/chatWebhooks/';

test(`a burst of ${BURST} posts at one webhook allowing ${PER_MINUTE} a minute: ${PER_MINUTE} accepted, the rest 429, no 5xx`, async () => {
  const projectId = randomProjectId('burst');
  const server = await startEventsServer({ projectId, router: createAppRouter(), env: { CHAT_WEBHOOKS_URL: PUBLIC, WEBHOOK_POSTS_PER_MINUTE: String(PER_MINUTE) } });
  const { PubSub } = await import('@google-cloud/pubsub');
  const pubsub = new PubSub({ projectId });
  await pubsub.createTopic('chat-jobs');
  await pubsub.close();
  try {
    const space = newSpace();
    await server.post(addedEvent(space));
    const text = (await server.post(slashCommandEvent(space, 5, '/notify'))).json as { text: string };
    const url = new URL(/URL: (\S+)/.exec(text.text)![1].slice(PUBLIC.length), server.webhooksUrl).toString();
    const secret = /Secret: `([^`]+)`/.exec(text.text)![1];
    const answers = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-webhook-secret': secret, 'x-request-id': `burst-${i}` },
          body: JSON.stringify({ text: `post ${i}` }),
        });
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      }),
    );
    const by = (s: number) => answers.filter((a) => a.status === s).length;
    const fivexx = answers.filter((a) => a.status >= 500).length;
    const jobs = (await testFirestore(projectId).collection(JOBS).where('space', '==', space.name).get()).size;
    record({
      case: `webhook burst (${BURST} posts at once, limit ${PER_MINUTE}/min)`,
      tried: BURST,
      survived: BURST - fivexx,
      lost: Math.max(0, PER_MINUTE - by(202)),
      doubled: Math.max(0, jobs - PER_MINUTE),
      notes: `webhook bursts answered 5xx: ${fivexx}; 202: ${by(202)}, 429: ${by(429)}; jobs queued: ${jobs}`,
    });
    expect(fivexx).toBe(0);
    expect(by(202)).toBe(PER_MINUTE);
    expect(by(429)).toBe(BURST - PER_MINUTE);
    expect(answers.filter((a) => a.status === 429).every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    expect(jobs).toBe(PER_MINUTE);
  } finally {
    await server.stop();
  }
}, 120_000);
