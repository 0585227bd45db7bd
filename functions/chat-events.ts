/** Entry point `chatEvents` (HTTP): Chat interaction events, answered synchronously. */
import * as ff from '@google-cloud/functions-framework';
import { createChatEventsFunction } from '../shared/chat-events';
import { loadEventsConfig } from '../shared/config';
import { createAppRouter } from './app';

const chatEvents = createChatEventsFunction(loadEventsConfig(), createAppRouter());
ff.http('chatEvents', chatEvents);
// The store client is ready before the first event that writes (shared/stores/firestore.ts).
void chatEvents.warmUp();
