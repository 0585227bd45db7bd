/** Entry point `chatWorker` (CloudEvent from Pub/Sub): runs long tasks and posts their replies. */
import * as ff from '@google-cloud/functions-framework';
import { createChatWorkerFunction } from '../shared/chat-worker';
import { loadWorkerConfig } from '../shared/config';
import { createAppTasks } from './app';

ff.cloudEvent('chatWorker', createChatWorkerFunction(loadWorkerConfig(), createAppTasks()));
