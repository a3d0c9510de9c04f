// Reads a Retry-After header: delta-seconds ("12") or an HTTP-date.

/** Milliseconds to wait, or undefined if the value is missing or unreadable. Never negative. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * ModelsLab's `retry_after` body field (seconds), at the top level (legacy body) or inside
 * `error`, in milliseconds; undefined if absent or unreadable.
 */
export function retryAfterFromBody(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { retry_after?: unknown; error?: unknown };
  const value = record.retry_after ?? (typeof record.error === 'object' && record.error !== null ? (record.error as { retry_after?: unknown }).retry_after : undefined);
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}
