/**
 * Serves a `chatEvents` function (and `chatWebhooks` beside it, at `webhooksUrl`) in-process through the functions-framework's own HTTP stack
 * (`getTestServer`), with a signer and a loopback certs server, so requests are verified as in
 * production. `post` signs a valid token unless told otherwise.
 *
 * Members' roles come from a local Chat API started here (`chatApi`), which the function reads
 * with the real client over a loopback fetch. Unless `seatMembers` is false, `post` seats the
 * people it sends as Chat would know them: the first person seen in a space created it (its
 * manager, in a named space), anyone after is a plain member. A test about roles sets them itself
 * (`chatApi.setMemberRole`) or turns seating off.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { startCertsServer, type CertsServer } from '../../local/certs-server';
import { startLocalChatApi, type LocalChatApi } from '../../local/chat-api';
import { createChatApi } from '../../shared/chat-api/client';
import { loopbackFetch } from '../chat-api/loopback-fetch';
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
  /** The Chat API the function reads members' roles from. */
  chatApi: LocalChatApi;
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
  /** Seat the people `post` sends in the local Chat API (default true; see the header). */
  seatMembers?: boolean;
}): Promise<EventsServer> {
  const signer = createSigner();
  const certs = await startCertsServer(() => signer.certs());
  const chatApi = await startLocalChatApi();
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
    CHAT_API_ROOT_URL: chatApi.url,
    ...options.env,
  };
  const config = loadEventsConfig(env);
  const logs: Record<string, unknown>[] = [];
  const log: Logger = createLogger({}, (line) => {
    captureLogLine('chatEvents', line);
    logs.push(JSON.parse(line));
  });
  const n = registered++;
  const client = createChatApi({ rootUrl: config.chatApiRootUrl, timeoutMs: 5000, fetchImplementation: loopbackFetch });
  ff.http(`chatEvents${n}`, createChatEventsFunction(config, options.router, log, client));
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
    chatApi,
    logs,
    token,
    async post(body, opts = {}) {
      if (options.seatMembers ?? true) seat(chatApi, body);
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
      await chatApi.stop();
    },
  };
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null ? (value as Json) : undefined);

/** The space and person of an event in either format (classic top level, or the add-on's `chat` and its payload). */
function whereAndWho(body: unknown): { space?: Json; user?: Json } {
  const b = objectAt(body) ?? {};
  const chat = objectAt(b.chat);
  if (!chat) return { space: objectAt(b.space), user: objectAt(b.user) };
  const payload = Object.entries(chat).find(([k]) => k.endsWith('Payload'))?.[1];
  return { space: objectAt(objectAt(payload)?.space) ?? objectAt(chat.space), user: objectAt(chat.user) };
}

/** Seats the event's person in its space as Chat would know them: a new space's first person created it. */
function seat(chatApi: LocalChatApi, body: unknown): void {
  const { space, user } = whereAndWho(body);
  const name = space?.name;
  const person = user?.name;
  if (typeof name !== 'string' || typeof person !== 'string' || !/^spaces\/[A-Za-z0-9_-]+$/.test(name) || !/^users\/[A-Za-z0-9_-]+$/.test(person)) return;
  if (!chatApi.spaces().some((s) => s.name === name)) {
    const dm = space?.spaceType === 'DIRECT_MESSAGE' || space?.type === 'DM' || space?.singleUserBotDm === true;
    const spaceType = dm ? 'DIRECT_MESSAGE' : space?.spaceType === 'GROUP_CHAT' ? 'GROUP_CHAT' : 'SPACE';
    chatApi.addSpace({ name, spaceType, creator: person });
  } else if (!chatApi.members(name).some((m) => m.name === person)) {
    chatApi.setMemberRole(name, person, 'ROLE_MEMBER');
  }
}
