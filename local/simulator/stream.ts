/** Server-sent events to every open page: what changed, so the page refetches it (live updates). */
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from './protocol';

/** A comment line this often keeps proxies and the browser from dropping an idle stream. */
const KEEP_ALIVE_MS = 15_000;

export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly listeners = new Set<(event: StreamEvent) => void>();
  private readonly timer = setInterval(() => this.write(': keep-alive\n\n'), KEEP_ALIVE_MS);

  constructor() {
    this.timer.unref();
  }

  open(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  send(event: StreamEvent): void {
    this.write(`data: ${JSON.stringify(event)}\n\n`);
    for (const listener of this.listeners) listener(event);
  }

  /** Every change a page is told of, in this process too (a data directory saves on it). */
  onSend(listener: (event: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const res of this.clients) if (!res.destroyed) res.write(chunk);
  }
}
