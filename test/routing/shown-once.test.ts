/**
 * What a delivery keeps of an answer that showed a secret (shared/routing/shown-once.ts): the
 * end-to-end retry, and the secrets noted as the handler creates webhooks, are in
 * test/app/notify.test.ts; this file holds the rule's edges and its text.
 */
import { SHOWN_ONCE_TEXT, storableAnswer } from '../../shared/routing/shown-once';

const redacted = () => 'REDACTED';

test('an answer holding any secret the handler was issued is stored redacted; any other answer as it is', () => {
  expect(storableAnswer('{"text":"Secret: `s2`"}', ['s1', 's2'], redacted)).toBe('REDACTED');
  expect(storableAnswer('{"text":"Secret: `s3`"}', ['s1', 's2'], redacted)).toBe('{"text":"Secret: `s3`"}');
  expect(storableAnswer('{"text":"hello"}', [], redacted)).toBe('{"text":"hello"}');
});

// A retry means Chat may never have shown the first answer: the text must say so and how to recover.
test('the text a retry gets says the secret is not kept and how to get a working webhook again', () => {
  expect(SHOWN_ONCE_TEXT).toMatch(/already answered.*shown only once and is not kept/);
  expect(SHOWN_ONCE_TEXT).toContain('revoke the webhooks with /notify off and create a new one with /notify');
});
