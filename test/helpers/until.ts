/** Polls `fn` until it gives a value (not undefined or false); `context` adds what helps when it times out. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  context: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${context() ? `; ${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
