/** Entry point `chatEvents` (HTTP): Chat interaction events, answered synchronously. */
import * as ff from '@google-cloud/functions-framework';
import { createChatEventsFunction } from '../shared/chat-events';
import { loadEventsConfig } from '../shared/config';
import { createAppRouter } from './app';

const config = loadEventsConfig();
const chatEvents = createChatEventsFunction(config, createAppRouter());
ff.http('chatEvents', chatEvents);
// Where configured (the local stack), the store client is ready before the first event that writes.
if (config.warmUpStore) void chatEvents.warmUp();
