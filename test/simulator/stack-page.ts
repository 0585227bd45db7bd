/**
 * The set-up the simulator's browser tests share: the whole local stack against the test run's
 * emulators (its log lines captured for the hygiene check), headless Chromium, the page open on a
 * space as Ada, a screenshot after each test; and the composer's send.
 */
import type { Browser, Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/simulator/stack';
import type { EventFormat } from '../../local/simulator/wire-event';
import { captureLogLine } from '../helpers/log-capture';
import { launchChromium, screenshot } from './browser';

export interface StackPage {
  stack: LocalStack;
  browser: Browser;
  page: Page;
  /** The functions' lines and the page's errors. */
  logs: string[];
}

/** Registers the hooks; the fields are there from the file's own beforeAll on. */
export function useStackPage(options: { projectId: string; format?: EventFormat; space?: string; screenshotPrefix?: string }): StackPage {
  const ctx = { logs: [] as string[] } as StackPage;
  beforeAll(async () => {
    [ctx.stack, ctx.browser] = await Promise.all([
      startLocalStack({
        projectId: options.projectId,
        ...(options.format ? { format: options.format } : {}),
        ports: { events: 0, worker: 0, chatApi: 0, certs: 0, simulator: 0, firestore: 0, pubsub: 0 },
        emulators: { firestore: process.env.FIRESTORE_EMULATOR_HOST!, pubsub: process.env.PUBSUB_EMULATOR_HOST! },
        env: { PROGRESS_INTERVAL_MS: '0', NODE_ENV: 'test' },
        output: (line) => {
          captureLogLine('local stack', line);
          ctx.logs.push(line);
        },
      }),
      launchChromium(),
    ]);
    ctx.page = await ctx.browser.newPage({ viewport: { width: 1440, height: 900 } });
    ctx.page.on('pageerror', (err) => ctx.logs.push(`pageerror ${err.message}`));
    await ctx.page.goto(`${ctx.stack.simulator.url}#as=users/1111&space=${options.space ?? 'spaces/RELEASE'}`);
    await ctx.page.waitForSelector('body.ready');
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.stop();
  });
  afterEach(async () => {
    const name = (expect.getState().currentTestName ?? 'step').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    if (ctx.page) await screenshot(ctx.page, `${options.screenshotPrefix ?? ''}${name}`);
  });
  return ctx;
}

/** Opens the page afresh on `space`, acting as `as`. */
export async function openAs(ctx: StackPage, space: string, as = 'users/1111'): Promise<void> {
  // A fresh document: a page still open could rewrite the URL's hash (its own refresh after a
  // change) between a hash-only navigation and a reload, and open as its person instead.
  await ctx.page.goto('about:blank');
  await ctx.page.goto(`${ctx.stack.simulator.url}#as=${as}&space=${space}`);
  await ctx.page.waitForSelector('body.ready');
}

/** Types `text` in the composer and sends it (Escape first: no suggestion is picked). */
export async function sendText(page: Page, text: string): Promise<void> {
  await page.fill('.composer-input', text);
  await page.press('.composer-input', 'Escape');
  await page.press('.composer-input', 'Enter');
}
