// Reading a versioned JSON file written by any version of the extension. Each file carries a
// `format`; older ones are brought up to date one step at a time, newer ones are left alone.

export type JsonObject = Record<string, unknown>;

/** Takes a file of format N to format N+1 (the caller sets `format`). Must not throw on odd input. */
export type MigrationStep = (file: JsonObject) => JsonObject;

export type Versioned<T> =
  | { kind: 'current'; value: T }
  /** Written by a newer version: this one must not rewrite or set it aside. */
  | { kind: 'newer'; format: number; value: JsonObject }
  | { kind: 'corrupt' };

/**
 * `steps[N]` migrates format N to N+1, so the current format is `steps.length`. A file without a
 * `format` field predates versioning and counts as format 0.
 */
export function migrate<T>(parsed: unknown, steps: readonly MigrationStep[], isCurrent: (value: unknown) => value is T): Versioned<T> {
  if (!isObject(parsed)) return { kind: 'corrupt' };
  const format = parsed.format ?? 0;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 0) return { kind: 'corrupt' };
  if (format > steps.length) return { kind: 'newer', format, value: parsed };
  let file = parsed;
  for (let n = format; n < steps.length; n++) file = { ...steps[n](file), format: n + 1 };
  return isCurrent(file) ? { kind: 'current', value: file } : { kind: 'corrupt' };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
