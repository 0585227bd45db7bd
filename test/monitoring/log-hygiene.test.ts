/** The check test/log-hygiene.setup.ts runs on every captured log line: it must be able to say no. */
import { chatTokenClaims, createSigner } from '../../local/signing';
import { lineProblems } from '../helpers/log-capture';

const clean = JSON.stringify({ severity: 'WARNING', message: 'chat event', outcome: 'refused', detail: 'unauthorized', reason: 'missing bearer token', space: 'spaces/AAAA' });

test('a line with ids, outcomes and reasons is clean', () => {
  expect(lineProblems(clean, ['Lunch at noon, anyone?'])).toEqual([]);
  expect(lineProblems(`[chatEvents] ${clean}`, [])).toEqual([]);
});

test.each([
  ['a token', JSON.stringify({ message: 'x', header: `Bearer ${createSigner().sign(chatTokenClaims('project-number', '1'))}` }), /a JWT|a bearer token/],
  ['a text key', JSON.stringify({ message: 'x', event: { message: { text: 'hi' } } }), /key event\.message\.text/],
  ['an authorization key', JSON.stringify({ message: 'x', headers: { Authorization: 'x' } }), /key headers\.Authorization/],
  ['a remembered message text', JSON.stringify({ message: 'x', error: 'cannot parse Lunch at noon, anyone?' }), /message text the test used/],
  ['a remembered text quoted in JSON', JSON.stringify({ message: 'x', error: 'bad "quoted" text here' }), /message text the test used/],
  ['a private key', '{"message":"-----BEGIN PRIVATE KEY-----"}', /private key/],
])('%s is found', (_what, line, problem) => {
  expect(lineProblems(line, ['Lunch at noon, anyone?', 'bad "quoted" text here']).join('\n')).toMatch(problem);
});
