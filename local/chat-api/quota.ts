/**
 * Chat's per-space write quota (docs/chat-protocol.md §7.3): at most `limit` admitted writes in any sliding
 * window of `windowMs`. Rejected writes are not admitted, so they do not extend the lockout.
 */
export const QUOTA_WINDOW_MS = 60_000;

export class SlidingWindowQuota {
  /** Admission times per key, oldest first. */
  private readonly admitted = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs: number = QUOTA_WINDOW_MS,
  ) {}

  /** Records a write and returns true, or returns false if the window is full. */
  tryAdmit(key: string): boolean {
    const t = this.now();
    const times = (this.admitted.get(key) ?? []).filter((at) => at > t - this.windowMs);
    const ok = times.length < this.limit;
    if (ok) times.push(t);
    this.admitted.set(key, times);
    return ok;
  }

  reset(): void {
    this.admitted.clear();
  }
}
