/**
 * `npm start` as a developer's terminal (issue 19): readable log lines by default (one per event:
 * function, event and route, status, outcome, latency), the JSON with `--json`; and
 * `--endpoint=URL`, which sends the simulator's events to another Chat app and prints what that
 * app must trust. The other app here is a small server of the test's: it verifies each token with
 * the project's own verifier against the certs URL and audience npm start printed, answers, and
 * posts through the local Chat API npm start printed. Driven from the page in headless Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createCertCache } from '../../shared/auth/certs';
import { createTokenVerifier } from '../../shared/auth/verify-chat-token';
import { captureLogLine } from '../helpers/log-capture';
import { launchChromium, until } from './browser';

jest.setTimeout(120_000);

const START = join(__dirname, '..', '..', 'dist', 'local', 'start.js');
const PORTS = ['EVENTS_PORT', 'WORKER_PORT', 'CHAT_API_PORT', 'CERTS_PORT', 'SIMULATOR_PORT', 'FIRESTORE_PORT', 'PUBSUB_PORT'];

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  stop(): Promise<number | null>;
}

async function npmStart(args: string[], project: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(PORTS.map((n) => [n, '0'])), GOOGLE_CLOUD_PROJECT: project };
  delete env.FIRESTORE_EMULATOR_HOST;
  delete env.PUBSUB_EMULATOR_HOST;
  const child = spawn(process.execPath, [START, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (c: Buffer) => {
    output += c.toString();
    // The functions' log lines (the banner's curl line carries a token on purpose).
    for (const line of c.toString().split('\n')) if (/^(\{|\d\d:\d\d:\d\d |\s{9})/.test(line)) captureLogLine('npm start', line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await until('the simulator URL', () => /Google Chat simulator\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], 90_000).catch((err: Error) => {
    child.kill('SIGINT');
    throw new Error(`${err.message}; output:\n${output.slice(-3000)}`);
  });
  return {
    child,
    output: () => output,
    url,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

test('--endpoint: another app gets the events, trusts what npm start printed, and posts through the local Chat API; logs read one line per event', async () => {
  const seen: { verified: boolean; type?: string }[] = [];
  let trust: { certs: string; audience: string; chatApi: string } | undefined;
  const other: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void (async () => {
        const event = JSON.parse(body) as { type?: string; space?: { name: string } };
        const verify = createTokenVerifier({ mode: 'project-number', audience: trust!.audience, certs: createCertCache({ url: trust!.certs }) });
        const verified = await verify(req.headers.authorization).then(() => true, () => false);
        seen.push({ verified, type: event.type });
        if (verified && event.type === 'ADDED_TO_SPACE') {
          await fetch(`${trust!.chatApi}v1/${event.space!.name}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Posted through the local Chat API' }) });
        }
        res.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(verified ? { text: 'Hello from another app' } : { error: 'unauthorized' }));
      })();
    });
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  const started = await npmStart([`--endpoint=${endpoint}`], 'smoke-endpoint');
  try {
    const out = started.output();
    expect(out).toContain(`Events go to ${endpoint} (--endpoint)`);
    trust = {
      certs: /certs URL +(\S+)/.exec(out)![1],
      audience: /audience +(\S+)/.exec(out)![1],
      chatApi: /call the local Chat API at (\S+) /.exec(out)![1],
    };
    expect(trust.audience).toBe('123456789012');

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${started.url}#as=users/1111&space=spaces/RELEASE`);
    await page.waitForSelector('body.ready');
    await page.click('.tabs button:has-text("Tools")');
    expect(await page.inputValue('[data-setting="endpointUrl"]')).toBe(endpoint);
    await page.click('[data-action="add-app"]');
    await page.waitForSelector('.message.from-app .message-text:has-text("Hello from another app")');
    await page.waitForSelector('.message.from-app .message-text:has-text("Posted through the local Chat API")');
    expect(seen).toEqual([{ verified: true, type: 'ADDED_TO_SPACE' }]);

    // The page's field points the events back at the local chatEvents; its log line reads as one line.
    await page.fill('[data-setting="endpointUrl"]', '');
    await page.click('[data-tool="set-endpoint"]');
    await page.waitForSelector('[data-result="endpoint"]:has-text("Events go to the local chatEvents")');
    // Another host is refused from the page.
    await page.fill('[data-setting="endpointUrl"]', 'https://example.com/app');
    await page.click('[data-tool="set-endpoint"]');
    await page.waitForSelector('[data-result="endpoint"]:has-text("must be on this machine")');
    await page.fill('.composer-input', '/about');
    await page.press('.composer-input', 'Escape');
    await page.press('.composer-input', 'Enter');
    await page.locator('[data-card-id="about"]').waitFor();
    expect(seen).toHaveLength(1);
    const line = await until('the readable line of /about', () => started.output().split('\n').find((l) => /chatEvents +MESSAGE command:1 → 200 new\/answered \d+ ms/.test(l)));
    expect(line).toMatch(/^\d\d:\d\d:\d\d chatEvents /);
    expect(started.output()).not.toMatch(/^\{"severity"/m);
    await page.close();
  } finally {
    expect(await started.stop()).toBe(0);
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});

test('--json prints the functions\' log entries as JSON', async () => {
  const started = await npmStart(['--json'], 'smoke-json');
  try {
    const res = await fetch(`${started.url}api/interact`, { method: 'POST', body: JSON.stringify({ kind: 'message', space: 'spaces/RELEASE', user: 'users/1111', text: '/about' }) });
    expect(res.status).toBe(200);
    const line = await until('the JSON line of the event', () => started.output().split('\n').find((l) => l.startsWith('{') && l.includes('"message":"chat event"')));
    // The command adds the app: ADDED_TO_SPACE, answered.
    expect(JSON.parse(line)).toMatchObject({ severity: 'INFO', status: 200, outcome: 'new', detail: 'answered', eventType: 'ADDED_TO_SPACE' });
  } finally {
    expect(await started.stop()).toBe(0);
  }
});
