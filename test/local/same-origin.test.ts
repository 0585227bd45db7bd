/**
 * The simulator and the local Chat API have no authentication, so a web page the developer
 * visits must not be able to drive them (a cross-site request) or read them (DNS rebinding: the
 * page's own host name re-pointed at 127.0.0.1). Driven with Chromium: a page on another site
 * (`evil.test`, resolved to 127.0.0.1 by Chromium's host rules) tries both. The simulator's own
 * page keeps working, and tools that are not browsers (curl, the clients, tests) still get in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { startSimulator, type Simulator } from '../../local/simulator';
import { CHROMIUM_PATH } from '../simulator/browser';

jest.setTimeout(60_000);

const EVIL = 'evil.test';
let api: LocalChatApi;
let simulator: Simulator;
let evil: Server;
let evilPort: number;
let browser: Browser;
const port = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  api = await startLocalChatApi();
  // Nothing here sends an event to the app: no function needs to run.
  simulator = await startSimulator({ chatApi: api, eventsUrl: 'http://127.0.0.1:9/', token: () => 'unused', audienceMode: 'project-number', projectId: 'test-same-origin' });
  evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>a page on the web</title>'));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilPort = (evil.address() as AddressInfo).port;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--host-resolver-rules=MAP ${EVIL} 127.0.0.1`],
  });
});

afterAll(async () => {
  await browser?.close();
  await simulator?.stop();
  await api?.stop();
  await new Promise((r) => evil?.close(r));
});

/** Runs `script` in a page of the other site and returns what it returns. */
async function onEvilPage<T>(script: string, at = `http://${EVIL}:${evilPort}/`): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(at);
    return (await page.evaluate(script)) as T;
  } finally {
    await page.close();
  }
}

const simulatorTimeline = async () =>
  (await (await fetch(`${simulator.url}api/timeline?space=spaces/RELEASE&viewer=users/1111`)).json()) as { text?: string }[];

describe('the simulator', () => {
  test('a page on another site cannot post as a person (a no-cors POST, which needs no preflight)', async () => {
    const before = await simulatorTimeline();
    await onEvilPage(`fetch(${JSON.stringify(`${simulator.url}api/interact`)}, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ kind: 'message', space: 'spaces/RELEASE', user: 'users/1111', text: 'posted by a web page' }) }).then(() => 'sent', (e) => String(e))`);
    // The same POST from the simulator's own page goes through (below): the check is not vacuous.
    expect(await simulatorTimeline()).toEqual(before);
  });

  test('a page whose host name points at 127.0.0.1 (DNS rebinding) cannot read the simulator', async () => {
    const rebound = `http://${EVIL}:${port(simulator.url)}/`;
    const read = await onEvilPage<{ status: number; body: string }>(`fetch('/api/state').then(async (r) => ({ status: r.status, body: await r.text() }))`, rebound);
    expect(read.status).toBe(403);
    expect(read.body).toContain('Host');
    expect(read.body).not.toContain('spaces/RELEASE');
  });

  test("the simulator's own page still works: same-origin reads and posts", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(simulator.url);
      const posted = await page.evaluate(
        `fetch('/api/interact', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'message', space: 'spaces/RELEASE', user: 'users/1111', text: 'posted from the simulator page' }) }).then((r) => r.status)`,
      );
      expect(posted).toBe(200);
      expect((await simulatorTimeline()).map((m) => m.text)).toContain('posted from the simulator page');
      expect(await page.evaluate(`fetch('/api/state').then((r) => r.status)`)).toBe(200);
    } finally {
      await page.close();
    }
  });

  test('a link on another site may still open the page itself (a navigation reads nothing)', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://${EVIL}:${evilPort}/`);
      await page.setContent(`<a id="go" href="${simulator.url}">simulator</a>`);
      const [response] = await Promise.all([page.waitForNavigation(), page.click('#go')]);
      expect(response?.status()).toBe(200);
    } finally {
      await page.close();
    }
  });
});

describe('the local Chat API', () => {
  test('a page on another site cannot inject faults or post messages', async () => {
    const calls = api.calls().length;
    const messages = api.messages('spaces/RELEASE').length;
    await onEvilPage(`Promise.all([
      fetch(${JSON.stringify(`${api.url}_local/faults`)}, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ method: '*', count: 5, status: 500 }) }),
      fetch(${JSON.stringify(`${api.url}v1/spaces/RELEASE/messages`)}, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ text: 'posted by a web page' }) }),
    ]).then(() => 'sent', (e) => String(e))`);
    expect(api.faults()).toEqual([]);
    expect(api.messages('spaces/RELEASE')).toHaveLength(messages);
    expect(api.calls()).toHaveLength(calls);
  });

  test('a page whose host name points at 127.0.0.1 (DNS rebinding) cannot read its messages', async () => {
    api.postUserMessage({ space: 'spaces/RELEASE', sender: { name: 'users/1111' }, text: 'Secret: s3cr3t-only-for-the-developer' });
    const rebound = `http://${EVIL}:${port(api.url)}/`;
    const read = await onEvilPage<{ status: number; body: string }>(`fetch('/_local/messages?space=spaces/RELEASE').then(async (r) => ({ status: r.status, body: await r.text() }))`, rebound);
    expect(read.status).toBe(403);
    expect(read.body).not.toContain('s3cr3t');
  });

  test('tools that are not browsers still use it (the clients send a loopback Host, no Origin)', async () => {
    const res = await fetch(`${api.url}_local/messages?space=spaces/RELEASE`);
    expect(res.status).toBe(200);
    const viaLocalhost = await fetch(`http://localhost:${port(api.url)}/_local/spaces`);
    expect(viaLocalhost.status).toBe(200);
  });
});
