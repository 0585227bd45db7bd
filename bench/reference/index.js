/**
 * The floor for `npm run bench`: a hello-world HTTP function under the same functions-framework,
 * answering every POST with a small fixed card and checking nothing. No Chat app answers faster on
 * the same machine, so its figures tell what part of a cold start or of a latency is the
 * framework's and the machine's, not the app's.
 */
'use strict';
const functions = require('@google-cloud/functions-framework');

const ANSWER = JSON.stringify({ cardsV2: [{ cardId: 'about', card: { header: { title: 'Team Assistant' } } }] });

functions.http('chatEvents', (req, res) => {
  res.set('content-type', 'application/json').send(ANSWER);
});
