/**
 * Serves a `chatEvents` function (and `chatWebhooks` beside it, at `webhooksUrl`) in-process through the functions-framework's own HTTP stack
 * (`getTestServer`), with a signer and a loopback certs server, so requests are verified as in
 * production. `post` signs a valid token unless told otherwise.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import { chatTokenClaims, createSigner, type Signer } from '../../local/signing';
import { loadEventsConfig, loadWebhooksConfig, type AudienceMode, type EventsConfig } from '../../shared/config';
import { createChatEventsFunction } from '../../shared/chat-events';
import { createChatWebhooksFunction } from '../../shared/chat-webhooks';
import { createLogger, type Logger } from '../../shared/log';
import type { Router } from '../../shared/routing/router';
import { answerFormatOf } from '../../local/schema/answers';
import { checkAnswer } from '../../local/schema/conformance';
import { captureLogLine, rememberSecret, rememberTexts } from './log-capture';

export interface EventsServer {
  url: string;
  /** Where chatWebhooks listens (a function of its own, as deployed). */
  webhooksUrl: string;
  config: EventsConfig;
  signer: Signer;
  certs: CertsServer;
  logs: Record<string, unknown>[];
  token(overrides?: Record<string, unknown>): string;
  post(body: unknown, options?: { token?: string | null; contentType?: string; raw?: string }): Promise<{ status: number; text: string; json: unknown }>;
  stop(): Promise<void>;
}

let registered = 0;

/** The event's type, for naming the answer in a schema violation. */
function eventName(body: unknown): string {
  const b = body as { type?: unknown; chat?: Record<string, unknown> };
  if (typeof b.type === 'string') return b.type;
  return Object.keys(b.chat ?? {}).find((k) => k.endsWith('Payload') || k === 'type') ?? 'an add-on event';
}

export async function startEventsServer(options: {
  projectId: string;
  router: Router;
  mode?: AudienceMode;
  env?: Record<string, string>;
}): Promise<EventsServer> {
  const signer = createSigner();
  const certs = await startCertsServer(() => signer.certs());
  const mode = options.mode ?? 'project-number';
  const audience = mode === 'project-number' ? '123456789012' : 'https://chat-app.example.com/chatEvents';
  const env = {
    GOOGLE_CLOUD_PROJECT: options.projectId,
    CHAT_AUDIENCE_MODE: mode,
    CHAT_AUDIENCE: audience,
    CHAT_CERTS_URL: certs.url,
    JOBS_TOPIC: 'chat-jobs',
    // As deployed: /notify hands out chatWebhooks' public URL (a test maps it to webhooksUrl).
    CHAT_WEBHOOKS_URL: 'https://chat-app.example.com/chatWebhooks/',
    ...options.env,
  };
  const config = loadEventsConfig(env);
  const logs: Record<string, unknown>[] = [];
  const log: Logger = createLogger({}, (line) => {
    captureLogLine('chatEvents', line);
    logs.push(JSON.parse(line));
  });
  const n = registered++;
  ff.http(`chatEvents${n}`, createChatEventsFunction(config, options.router, log));
  ff.http(`chatWebhooks${n}`, createChatWebhooksFunction(loadWebhooksConfig(env), log));
  const listen = async (name: string) => {
    const s: Server = getTestServer(name);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/` };
  };
  const { server, url } = await listen(`chatEvents${n}`);
  const hooks = await listen(`chatWebhooks${n}`);
  const token = (overrides: Record<string, unknown> = {}) => {
    const signed = signer.sign(chatTokenClaims(mode, audience, overrides));
    rememberSecret(signed);
    return signed;
  };

  return {
    url,
    webhooksUrl: hooks.url,
    config,
    signer,
    certs,
    logs,
    token,
    async post(body, opts = {}) {
      const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
      const t = opts.token === undefined ? token() : opts.token;
      if (t !== null) headers.authorization = `Bearer ${t}`;
      if (t) rememberSecret(t);
      rememberTexts(body);
      const res = await fetch(url, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(body) });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      // Every answer the app gives is checked against Google's schema (test/schema/setup.ts fails the test).
      const format = answerFormatOf(body);
      if (res.status === 200 && json !== undefined && format) checkAnswer(format, json, `answer to ${eventName(body)}`);
      rememberTexts(json);
      return { status: res.status, text, json };
    },
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => hooks.server.close(() => r()));
      await certs.stop();
    },
  };
}
