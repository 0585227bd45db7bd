/** Entry point `chatPubsub` (CloudEvent from Pub/Sub): Chat's events through its Cloud Pub/Sub connection, answered through the Chat API. */
import * as ff from '@google-cloud/functions-framework';
import { createChatPubsubFunction } from '../shared/chat-pubsub';
import { loadPubsubConfig } from '../shared/config';
import { createAppRouter } from './app';

ff.cloudEvent('chatPubsub', createChatPubsubFunction(loadPubsubConfig(), createAppRouter()));
