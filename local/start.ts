/**
 * `npm start`: the whole app on this machine with the Google Chat simulator (see
 * `simulator/stack.ts`), and how to talk to it. Ports come from the environment (see README);
 * `--format=addon` (or SIMULATOR_FORMAT=addon) plays a Google Workspace add-on instead of a classic
 * Chat app. Ctrl-C stops everything, and no process is left behind.
 */
import { checkPrerequisites } from './emulators';
import { ROOT } from './serve-function';
import { startLocalStack, type LocalStack, type StackPorts } from './simulator/stack';
import { readStartOptions, START_FLAG, trustLines } from './start-options';
import { CONNECTIONS, isConnection, type Connection } from './simulator/transport';
import { EVENT_FORMATS, isEventFormat, type EventFormat } from './simulator/wire-event';

const PROJECT = process.env.GOOGLE_CLOUD_PROJECT ?? 'local-chat-app';

/** 0 takes any free port (the URLs printed at start say which). */
const port = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0 for any free port); got "${process.env[name]}"`);
  return value;
};

const KINDS: Record<EventFormat, string> = { chat: 'a classic Chat app', addon: 'a Google Workspace add-on' };
const ALLOWED = EVENT_FORMATS.map((f) => `${f} (${KINDS[f]})`).join(', ');

/**
 * `--format=X` (or `--format X`) wins over SIMULATOR_FORMAT, the default being a classic app;
 * `--connection=http|pubsub` (or SIMULATOR_CONNECTION) says how Chat reaches it, default http.
 */
function simulatorMode(args: string[], env: NodeJS.ProcessEnv): { format: EventFormat; connection: Connection } {
  let value = env.SIMULATOR_FORMAT?.trim() || undefined;
  let source = 'SIMULATOR_FORMAT';
  let connection = env.SIMULATOR_CONNECTION?.trim() || undefined;
  let connectionSource = 'SIMULATOR_CONNECTION';
  for (let i = 0; i < args.length; i++) {
    if (START_FLAG.test(args[i])) continue;
    const flag = /^--(format|connection)(?:=(.*))?$/.exec(args[i]);
    if (!flag) throw new Error(`Unknown argument "${args[i]}". npm start takes --format=<${EVENT_FORMATS.join('|')}>: ${ALLOWED}, --connection=<${CONNECTIONS.join('|')}>, --endpoint=URL, --data-dir=DIR (keep the state across restarts) and --json (the functions' logs as JSON).`);
    const given = flag[2] ?? args[++i];
    if (flag[1] === 'format') [value, source] = [given, '--format'];
    else [connection, connectionSource] = [given, '--connection'];
  }
  if (value !== undefined && !isEventFormat(value)) throw new Error(`${source} must be one of ${ALLOWED}; got "${value}".`);
  if (connection !== undefined && !isConnection(connection)) throw new Error(`${connectionSource} must be one of ${CONNECTIONS.join(', ')}; got "${connection}".`);
  const mode = { format: value ?? 'chat', connection: connection ?? 'http' } as const;
  // Add-ons over Pub/Sub are only reported, not documented (docs/chat-protocol.md §13): not played here.
  if (mode.format === 'addon' && mode.connection === 'pubsub') throw new Error('--connection=pubsub plays a classic Chat app only (--format=chat).');
  return mode;
}

/** An event to send by hand, in the format chatEvents expects (it verifies tokens for that kind of app). */
function exampleEvent(format: EventFormat): string {
  const space = { name: 'spaces/RELEASE', spaceType: 'SPACE' };
  const user = { name: 'users/1111', displayName: 'Ada' };
  const message = { name: 'spaces/RELEASE/messages/M1', text: '/about', slashCommand: { commandId: '1' } };
  const eventTime = '2026-01-01T00:00:00Z';
  const command = { appCommandId: 1, appCommandType: 'SLASH_COMMAND' };
  const event =
    format === 'addon'
      ? { commonEventObject: { hostApp: 'CHAT' }, chat: { user, eventTime, appCommandPayload: { space, message, appCommandMetadata: command } } }
      : { type: 'MESSAGE', eventTime, space, user, message, appCommandMetadata: command };
  return JSON.stringify(event);
}

let stack: LocalStack | undefined;
let stopWatching: (() => void) | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  stopWatching?.();
  if (stack) process.stdout.write('\nStopping…\n');
  await stack?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  const { format, connection } = simulatorMode(process.argv.slice(2), process.env);
  const ports: StackPorts = {
    events: port('EVENTS_PORT', 8080),
    worker: port('WORKER_PORT', 8081),
    chatApi: port('CHAT_API_PORT', 8085),
    certs: port('CERTS_PORT', 8086),
    simulator: port('SIMULATOR_PORT', 8088),
    firestore: port('FIRESTORE_PORT', 8090),
    pubsub: port('PUBSUB_PORT', 8091),
  };
  checkPrerequisites(['firestore', 'pubsub']);
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  // The functions inherit this environment, so PROGRESS_INTERVAL_MS and the like apply to them.
  const { json, dev, endpointUrl, dataDir } = readStartOptions(process.argv.slice(2));
  stack = await startLocalStack({ projectId: PROJECT, ports, format, connection, output: json ? 'inherit' : 'readable', ...(endpointUrl ? { endpointUrl } : {}), ...(dataDir ? { dataDir } : {}) });
  if (stopping) return;
  const { chatApi, simulator, eventsUrl, workerUrl, webhooksUrl } = stack;
  const token = stack.token(12 * 3600);
  process.stdout.write(
    [
      '',
      `  Google Chat simulator   ${simulator.url}   ← open this`,
      `  Playing ${KINDS[format]} (--format=${format}); chatEvents verifies CHAT_AUDIENCE_MODE=${stack.audienceMode}`,
      ...(endpointUrl ? trustLines(endpointUrl, stack.certsUrl, chatApi.url, token) : []),
      ...(stack.pubsubDoorUrl
        ? [`  Connected through Cloud Pub/Sub (--connection=pubsub): events are published to the topic chat-events, chatPubsub (${stack.pubsubDoorUrl}) answers through the Chat API; no dialogs`]
        : []),
      '',
      `chatEvents   ${eventsUrl}`,
      `chatWorker   ${workerUrl} (pushed by the Pub/Sub emulator)`,
      `chatWebhooks ${webhooksUrl} (/notify's incoming webhooks)`,
      `Chat API     ${chatApi.url} (messages: ${chatApi.url}_local/messages?space=spaces/RELEASE)`,
      `Firestore    ${stack.firestoreHost}   Pub/Sub ${stack.pubsubHost}   project ${PROJECT}`,
      '',
      'Or send an event yourself (token valid 12 h, signed by the simulator; verification stays on):',
      `  curl -s ${eventsUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\`,
      `    -d '${exampleEvent(format)}'`,
      '',
      ...(dataDir ? [`Data: kept in ${dataDir} (saved a second after each change and at Ctrl-C; Pub/Sub jobs in flight are not kept)`, ''] : []),
      json ? 'Logs: as the functions write them (JSON, the Cloud Logging shape).' : 'Logs: one line per event (time, function, event and route → status, outcome/detail, latency); npm start -- --json prints the JSON.',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  if (dev) {
    const running = stack;
    // Loaded only here: the watcher brings the TypeScript compiler.
    const { watchSources } = await import('./dev-watch');
    stopWatching = watchSources({ root: ROOT, restart: () => running.restartFunctions(), say: (line) => process.stdout.write(`${line}\n`) });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  void shutdown(1);
});
