// Keeps secrets (the API key) out of anything a person or a log can see.

const REDACTED = '[redacted]';

/** Secrets shorter than this are not redacted: replacing "a" everywhere would mangle the text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret in `text` (also URL-encoded and JSON-escaped forms)
 * and any `Bearer <token>` with a placeholder.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.trim().length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, secret.trim(), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      result = result.split(form).join(REDACTED);
    }
  }
  return result.replace(/(Bearer\s+)(?!\[redacted\])[^\s"',;]+/gi, `$1${REDACTED}`);
}
