/** Every event sent and answer received (and the app's Chat API writes), for the page's inspector. */
import type { InspectorEntry } from './protocol';

/** Older entries are dropped past this, so a long session does not grow without bound. */
export const MAX_INSPECTOR_ENTRIES = 1000;

export class InspectorLog {
  private entries: InspectorEntry[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(entry: InspectorEntry) => void>();

  add(entry: Omit<InspectorEntry, 'id' | 'time'> & { time?: number }): InspectorEntry {
    const full: InspectorEntry = { ...entry, id: this.nextId++, time: entry.time ?? Date.now() };
    this.entries.push(full);
    if (this.entries.length > MAX_INSPECTOR_ENTRIES) this.entries.splice(0, this.entries.length - MAX_INSPECTOR_ENTRIES);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** Fills in an entry listed while its event was in flight (its answer, status, latency), and tells the listeners again. */
  update(id: number, patch: Partial<Omit<InspectorEntry, 'id' | 'time'>>): InspectorEntry | undefined {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0) return undefined;
    const { pending: _pending, ...rest } = { ...this.entries[i], ...patch };
    const full: InspectorEntry = patch.pending ? { ...rest, pending: true } : rest;
    this.entries[i] = full;
    for (const listener of this.listeners) listener(full);
    return full;
  }

  list(): InspectorEntry[] {
    return [...this.entries];
  }

  get(id: number): InspectorEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  clear(): void {
    this.entries = [];
  }

  onEntry(listener: (entry: InspectorEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
