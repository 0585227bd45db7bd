/** People's messages, posted by a test or the simulator: they start threads the app can reply in. */
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.api.addSpace({ name: 'spaces/PEOPLE' });
});
afterAll(() => h.api.stop());

test("a person's message starts its thread, and the app's reply with REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD joins it", async () => {
  const mine = h.api.postUserMessage({ space: 'spaces/PEOPLE', sender: { name: 'users/1' }, text: '/report', threadName: 'spaces/PEOPLE/threads/T1' });
  expect(mine).toMatchObject({ sender: { name: 'users/1', type: 'HUMAN' }, threadName: 'spaces/PEOPLE/threads/T1', threadReply: false, text: '/report' });
  const { data } = await h.client.spaces.messages.create({
    parent: 'spaces/PEOPLE',
    messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
    requestBody: { text: 'working on it', thread: { name: 'spaces/PEOPLE/threads/T1' } },
  });
  expect(data.thread?.name).toBe('spaces/PEOPLE/threads/T1');
  const second = h.api.postUserMessage({ space: 'spaces/PEOPLE', sender: { name: 'users/2' }, text: 'thanks', threadName: 'spaces/PEOPLE/threads/T1' });
  expect(second.threadReply).toBe(true);
  expect(h.api.messages('spaces/PEOPLE').map((m) => m.sender.type)).toEqual(['HUMAN', 'BOT', 'HUMAN']);
});

test('without a thread a message starts a new one; a thread of another space is refused', () => {
  const m = h.api.postUserMessage({ space: 'spaces/PEOPLE', sender: { name: 'users/1' }, text: 'hi' });
  expect(m.threadName).toMatch(/^spaces\/PEOPLE\/threads\//);
  expect(() => h.api.postUserMessage({ space: 'spaces/PEOPLE', sender: { name: 'users/1' }, text: 'x', threadName: 'spaces/OTHER/threads/T' })).toThrow(/thread of spaces\/PEOPLE/);
  expect(() => h.api.postUserMessage({ space: 'spaces/NOPE', sender: { name: 'users/1' }, text: 'x' })).toThrow();
});
