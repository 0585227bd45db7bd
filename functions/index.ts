// First: every module loaded after this line can come from the compile cache built by gcp-build.
import { useCompileCache } from './compile-cache';

useCompileCache();

/**
 * The module the functions-framework loads (package.json `main`). Each deployed function loads
 * only its own entry point, so the worker never validates the events configuration (and vice
 * versa) and neither pays for the other's code. Cloud Run functions set FUNCTION_TARGET; the
 * `--target` flag is read for local runs.
 */
function target(): string | undefined {
  const flag = process.argv.find((a) => a.startsWith('--target='));
  return process.env.FUNCTION_TARGET ?? flag?.slice('--target='.length);
}

const selected = target();
if (selected === undefined || selected === 'chatEvents') require('./chat-events');
if (selected === undefined || selected === 'chatWorker') require('./chat-worker');
if (selected === undefined || selected === 'chatWebhooks') require('./chat-webhooks');
if (selected === undefined || selected === 'chatPubsub') require('./chat-pubsub');
