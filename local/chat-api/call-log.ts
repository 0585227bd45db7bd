/** Every API call the fake answered, so tests can count writes and retries. */
import type { RecordedCall } from './types';

export class CallLog {
  private entries: RecordedCall[] = [];

  record(call: RecordedCall): void {
    this.entries.push(call);
  }

  list(): RecordedCall[] {
    return this.entries.map((c) => ({ ...c, query: { ...c.query } }));
  }

  clear(): void {
    this.entries = [];
  }
}
