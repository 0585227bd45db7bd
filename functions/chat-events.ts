/** Entry point `chatEvents` (HTTP): Chat interaction events, answered synchronously. */
import * as ff from '@google-cloud/functions-framework';
import { createChatEventsFunction } from '../shared/chat-events';
import { loadEventsConfig } from '../shared/config';
import { createAppRouter } from './app';

ff.http('chatEvents', createChatEventsFunction(loadEventsConfig(), createAppRouter()));
