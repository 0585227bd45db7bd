/**
 * The Google Chat simulator: a page on loopback that plays Chat for the app. People, spaces, a
 * composer; every event in the real wire format of the kind of app it plays (a classic Chat app or
 * a Google Workspace add-on), signed with the simulator's key and verified by chatEvents as in
 * production; answers rendered as Chat renders them; the worker's messages live from the local
 * Chat API; an inspector; transcripts. See README.md ("Simulator").
 */
import type { AddressInfo } from 'node:net';
import type { LocalChatApi } from '../chat-api';
import { toWireMessage } from '../chat-api/wire';
import { assertPortFree } from '../ports';
import { createLogger, type Logger } from '../../shared/log';
import { createFirestoreView } from './firestore-view';
import { createSimulatorServer } from './http-server';
import { InspectorLog } from './inspector';
import { SimulatorSession } from './session';
import { defaultSettings, withSettings } from './settings';
import { createStaticFiles } from './static-files';
import { EventStream } from './stream';
import { createTransport, type Connection } from './transport';
import type { EventFormat } from './wire-event';
import { defaultWorld, type World } from './world';

export interface SimulatorOptions {
  chatApi: LocalChatApi;
  /** Where events are POSTed: the chatEvents URL (also the base of poll permalinks). */
  eventsUrl: string;
  /** A fresh token for each event, signed with the simulator's key. */
  token: () => string;
  /** Shown in the page's header (`project-number`, `endpoint-url`, …). */
  audienceMode: string;
  /** The Firestore project the app writes to (for the "Data" tab). */
  projectId: string;
  /** Defaults to a free port chosen by the OS. */
  port?: number;
  /** Send the events to this endpoint instead of `eventsUrl` (`npm start -- --endpoint=URL`); the page can change it. */
  endpointUrl?: string;
  /** The kind of Chat app played: events built and answers read in its format (default `chat`). */
  format?: EventFormat;
  /** How events reach the app: POSTed (`http`, the default) or published to Pub/Sub (transport.ts). */
  connection?: Connection;
  world?: World;
  /** A saved state of the simulator to start from (a data directory's; checked, throws if bad). */
  restore?: unknown;
  log?: Logger;
}

export interface Simulator {
  url: string;
  session: SimulatorSession;
  inspector: InspectorLog;
  /** After every change the page is told of. */
  onChange(listener: () => void): () => void;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const log = options.log ?? createLogger({ component: 'simulator' });
  const host = '127.0.0.1';
  if (options.port) await assertPortFree(options.port, 'simulator');
  const inspector = new InspectorLog();
  const stream = new EventStream();
  const data = createFirestoreView(options.projectId);
  const world = options.world ?? defaultWorld(options.eventsUrl);
  const settings = defaultSettings(options.endpointUrl);
  const transport = createTransport({ connection: options.connection ?? 'http', eventsUrl: options.eventsUrl, token: options.token, projectId: options.projectId });
  const deliver = withSettings({ eventsUrl: options.eventsUrl, token: options.token, transport }, settings);

  let session: SimulatorSession | undefined;
  const current = () => {
    if (!session) throw new Error('simulator not started');
    return session;
  };
  const server = createSimulatorServer({
    session: current,
    inspector,
    stream,
    data,
    files: createStaticFiles(),
    tools: { session: current, settings, data, inspector, deliver, chatApi: options.chatApi, eventsUrl: () => settings.endpointUrl || options.eventsUrl, curlToken: options.token },
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}/`;

  const live = new SimulatorSession({
    world,
    chatApi: options.chatApi,
    deliver,
    format: options.format ?? 'chat',
    audienceMode: options.audienceMode,
    inspector,
    configCompleteRedirectUrl: `${url}config-complete?token=local`,
  });
  session = live;
  if (options.restore !== undefined) live.restore(options.restore);
  live.setup();

  const unsubscribe = [
    inspector.onEntry((entry) => stream.send({ type: 'inspector', entry })),
    live.onSpaceChange((space) => stream.send({ type: 'space', space })),
    options.chatApi.onChange((change) => {
      if (change.type === 'reset') return stream.send({ type: 'reset' });
      if (change.type === 'space') return stream.send({ type: 'spaces' });
      stream.send({ type: 'space', space: change.message.space });
      // The app's own Chat API writes (the worker's replies) go into the inspector too.
      if (!live.isWriting && change.message.sender.type === 'BOT') {
        inspector.add({ kind: 'chat-api', label: `Chat API ${change.type} ${change.message.name.split('/').pop()}`, space: change.message.space, response: toWireMessage(change.message) });
      }
    }),
  ];

  return {
    url,
    session: live,
    inspector,
    onChange: (listener) => stream.onSend(() => listener()),
    async stop() {
      unsubscribe.forEach((u) => u());
      stream.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await data.close();
      await transport.close();
    },
  };
}
