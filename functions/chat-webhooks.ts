/** Entry point `chatWebhooks` (HTTP, public): incoming webhooks created with /notify. */
import * as ff from '@google-cloud/functions-framework';
import { createChatWebhooksFunction } from '../shared/chat-webhooks';
import { loadWebhooksConfig } from '../shared/config';

ff.http('chatWebhooks', createChatWebhooksFunction(loadWebhooksConfig()));
