/**
 * `npm run dev` (issue 19): a saved change under functions/ restarts only the functions; the
 * emulators, the local Chat API, the simulator and the page's conversations stay. Run on a copy of
 * the built project in a temporary folder (the test edits a source file there, never here), driven
 * from the page in headless Chromium.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { captureLogLine } from '../helpers/log-capture';
import { launchChromium, until } from './browser';

jest.setTimeout(150_000);

const ROOT = join(__dirname, '..', '..');
const PORTS = ['EVENTS_PORT', 'WORKER_PORT', 'CHAT_API_PORT', 'CERTS_PORT', 'SIMULATOR_PORT', 'FIRESTORE_PORT', 'PUBSUB_PORT'];

let browser: Browser;
let copy: string;
beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'chat-app-dev-'));
  for (const part of ['dist', 'functions', 'shared', 'local', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(copy, { recursive: true, force: true });
});

test('a saved change restarts the functions in place: the new code answers, the conversation and the data stay', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(PORTS.map((n) => [n, '0'])), GOOGLE_CLOUD_PROJECT: 'smoke-dev' };
  delete env.FIRESTORE_EMULATOR_HOST;
  delete env.PUBSUB_EMULATOR_HOST;
  const child = spawn(process.execPath, [join(copy, 'dist', 'local', 'start.js'), '--dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (c: Buffer) => {
    output += c.toString();
    for (const line of c.toString().split('\n')) if (/^(\{|\d\d:\d\d:\d\d )/.test(line)) captureLogLine('npm run dev', line);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await until('the simulator URL', () => /Google Chat simulator\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], 90_000);
    await until('the watcher', () => output.includes('Watching functions/ and shared/'));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${url}#as=users/1111&space=spaces/RELEASE`);
    await page.waitForSelector('body.ready');
    await page.click('[data-action="add-app"]');
    await page.waitForSelector('.message.from-app .message-text:has-text("Thanks for adding me")');
    const send = async (text: string) => {
      await page.fill('.composer-input', text);
      await page.press('.composer-input', 'Escape');
      await page.press('.composer-input', 'Enter');
    };
    await send('/about');
    await page.waitForSelector('[data-card-id="about"] :text("Polls, reports and notifications for this space")');

    // Save a change to the /about card, as an editor would.
    const about = join(copy, 'functions', 'app', 'about.ts');
    writeFileSync(about, readFileSync(about, 'utf8').replace('Polls, reports and notifications for this space', 'Changed while it ran'));
    const reloaded = await until('the reload', () => /↻ functions\/app\/about\.ts → functions restarted, ready (\d+) ms after the save/.exec(output) ?? undefined, 60_000);
    process.stdout.write(`npm run dev: save → ready ${reloaded[1]} ms\n`);
    await send('/about');
    await page.waitForSelector('[data-card-id="about"] :text("Changed while it ran")');
    // The same page, the same conversation: the onboarding, the first card, the app still a member.
    expect(await page.locator('[data-card-id="about"]').count()).toBe(2);
    expect(await page.locator('.message-text:has-text("Thanks for adding me")').count()).toBe(1);
    expect(await page.locator('[data-action="remove-app"]').count()).toBe(1);
    // Firestore kept the space's record (written when the app was added, before the restart).
    await page.click('.tabs button:has-text("Data")');
    await page.waitForSelector('.data .entry summary:text-is("spaces/RELEASE")');

    // A syntax error is reported, and the running functions keep answering.
    writeFileSync(about, `${readFileSync(about, 'utf8')}\nexport const broken = ;\n`);
    await until('the syntax error', () => output.includes('functions/app/about.ts: not reloaded'), 30_000);
    await send('/about');
    await until('the third card', async () => (await page.locator('[data-card-id="about"]').count()) === 3);
    await page.close();
  } finally {
    child.kill('SIGINT');
    const code = await exited;
    // Ctrl-C must stop it cleanly; when it does not, the reason is in the process's last lines.
    if (code !== 0) process.stdout.write(`npm run dev exited ${code}; its last output:\n${output.split('\n').slice(-30).join('\n')}\n`);
    expect(code).toBe(0);
  }
});
