// Keeps the key out of streamed answer text. A server (or a model that was shown the key) may
// echo it; the answer is shown and saved, so it is redacted before it leaves the client. The key
// can arrive split across chunks, so the tail that could still grow into the key is held back
// until the next chunk (or the end) decides.
import { redactExact, secretForms } from './redact';

export class StreamScrubber {
  private readonly forms: string[];
  private held = '';

  constructor(secrets: readonly (string | undefined)[]) {
    this.forms = secretForms(secrets);
  }

  /** The text that is safe to show now. */
  push(text: string): string {
    if (this.forms.length === 0) return text;
    const clean = redactExact(this.held + text, this.forms);
    const keep = this.riskyTail(clean);
    this.held = clean.slice(clean.length - keep);
    return clean.slice(0, clean.length - keep);
  }

  /** The key's forms replaced in a whole text (tool-call arguments, an error's partial text). */
  redact(text: string): string {
    return redactExact(text, this.forms);
  }

  /** What was held back, at the end of the stream (it cannot become the key any more). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** The length of the longest suffix of `text` that is the start of a secret form. */
  private riskyTail(text: string): number {
    let longest = 0;
    for (const form of this.forms) {
      const first = form[0];
      // Only positions that start like the form can begin it; scan them from the longest suffix.
      for (let at = Math.max(0, text.length - form.length + 1); at < text.length; at++) {
        if (text[at] !== first || !form.startsWith(text.slice(at))) continue;
        longest = Math.max(longest, text.length - at);
        break;
      }
    }
    return longest;
  }
}
