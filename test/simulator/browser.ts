/**
 * Headless Chromium for the simulator tests: Debian's `chromium` driven by playwright-core (no
 * browser download). Screenshots go to test-artifacts/simulator/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/simulator/stack';
import type { EventFormat } from '../../local/simulator/wire-event';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'simulator');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing (looked for ${CHROMIUM_PATH}). The simulator tests drive a real headless browser:\n` +
        '  apt-get update && apt-get install -y chromium      (Debian; .ci/run does this)\n' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The whole local stack on free ports (with the test run's emulators) and a page in Chromium, started side by side. */
export async function startStackAndPage(options: { projectId: string; format: EventFormat; env: Record<string, string>; output: (line: string) => void }): Promise<{ stack: LocalStack; browser: Browser; page: Page }> {
  const [stack, browser] = await Promise.all([
    startLocalStack({
      projectId: options.projectId,
      format: options.format,
      ports: { events: 0, worker: 0, chatApi: 0, certs: 0, simulator: 0, firestore: 0, pubsub: 0 },
      emulators: { firestore: process.env.FIRESTORE_EMULATOR_HOST!, pubsub: process.env.PUBSUB_EMULATOR_HOST! },
      env: options.env,
      output: options.output,
    }),
    launchChromium(),
  ]);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  return { stack, browser, page };
}

/** A screenshot named after the test that just ran. */
export async function screenshotStep(page: Page | undefined, testName: string | undefined): Promise<void> {
  const name = (testName ?? 'step').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  if (page) await screenshot(page, name);
}
