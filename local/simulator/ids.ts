import { randomBytes } from 'node:crypto';

/** A fresh id for the names the simulator makes up (messages, threads, dialogs, notes). */
export const randomId = (): string => randomBytes(8).toString('hex');
