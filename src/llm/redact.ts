// Keeps secrets (the API key) out of anything a person or a log can see.

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not redacted: replacing "a" everywhere would mangle the text. */
const MIN_SECRET_LENGTH = 4;

/** Each secret as it may appear in text: raw, trimmed, URL-encoded and JSON-escaped. */
export function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.trim().length < MIN_SECRET_LENGTH) continue;
    for (const form of [secret, secret.trim(), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) forms.add(form);
  }
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret form; nothing else is touched (for answer text, where "Bearer …" may be legitimate code). */
export function redactExact(text: string, forms: readonly string[]): string {
  let result = text;
  for (const form of forms) if (result.includes(form)) result = result.split(form).join(REDACTED);
  return result;
}

/**
 * Replaces every occurrence of each secret in `text` (also URL-encoded and JSON-escaped forms)
 * and any `Bearer <token>` with a placeholder. For logs and error messages.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return redactExact(text, secretForms(secrets)).replace(/(Bearer\s+)(?!\[redacted\])[^\s"',;]+/gi, `$1${REDACTED}`);
}
