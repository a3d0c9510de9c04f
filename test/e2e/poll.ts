// Waiting on state another process owns (a file it writes, a frame the workbench creates), where
// no event reaches the test: check, then check again shortly, up to a cap.

/** Resolves with the first value `probe` returns that is not undefined; rejects after `timeoutMs` with `failure()`. */
export async function pollUntil<T>(probe: () => T | undefined | Promise<T | undefined>, failure: () => string, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
