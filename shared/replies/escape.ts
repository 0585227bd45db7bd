/**
 * Untrusted text (people's and webhooks') into Chat output: one function per kind of field.
 * - `cardText`: card fields that render Chat's HTML subset (textParagraph, decoratedText text and
 *   labels): `<i>x</i>` must show as typed, so `&`, `<` and `>` become entities.
 * - `messageText`: a message's `text`, which renders Chat's markup: `<users/all>` mentions everyone
 *   and `<url|label>` is a link. Chat documents no escape for its markup [U], so the angle brackets
 *   become the lookalikes ‹ and ›: the text stays readable and can form no mention or link.
 *   (`*bold*` and the like are left alone: they cannot notify anyone or hide a link.)
 * Card headers, button texts and selection items are plain text and take the text as it is.
 */
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export const cardText = (text: string): string => text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]);

export const messageText = (text: string): string => text.replace(/</g, '‹').replace(/>/g, '›');
