/**
 * The one rule for an id from outside that becomes a Firestore document id: a space (`spaces/{id}`
 * in events and webhook URLs), a poll (card parameters, permalinks), a webhook (its URL).
 * Letters, digits, `_` and `-`, 1 to 128 characters (Chat's own ids are of this kind), and not
 * Firestore's reserved `__name__` form; `/`, `.` and `..` cannot pass. People and messages never
 * become path segments: they are hashed (deliveries/{key}) or field keys (fieldKey).
 */
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const RESERVED = /^__.*__$/;

export const isDocumentId = (id: string | undefined): id is string => id !== undefined && DOCUMENT_ID.test(id) && !RESERVED.test(id);
