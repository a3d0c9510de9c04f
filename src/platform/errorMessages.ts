// Turns any failure into what the user sees: a message that says what to do next, and the
// one action that fixes it. No vscode import, so it is unit-tested in plain Node.
import { ModelsLabError, withoutSetKeyHint } from '../llm/errors';
import { DEFAULT_RETRY_POLICY } from '../llm/retry';
import type { ErrorView } from '../shared/protocol';

export function describeError(err: unknown): ErrorView {
  if (err instanceof ModelsLabError) {
    const view: ErrorView = { kind: err.kind, message: err.message };
    switch (err.kind) {
      case 'no_key':
      case 'auth':
        view.action = 'setApiKey';
        // The button says it; the message need not.
        view.message = withoutSetKeyHint(err.message);
        break;
      case 'rate_limit':
        view.action = 'retry';
        // Capped like every other wait: a server's "Retry-After: 3600" must not lock Retry for an hour.
        if (err.retryAfterMs !== undefined) view.retryAt = Date.now() + Math.min(err.retryAfterMs, DEFAULT_RETRY_POLICY.retryAfterCapMs);
        break;
      case 'model_not_found':
        view.action = 'selectModel';
        break;
      case 'invalid_params':
        view.action = 'openSettings';
        break;
      case 'cancelled':
        break;
      default:
        view.action = 'retry';
    }
    return view;
  }
  const detail = err instanceof Error ? err.message : String(err);
  return {
    kind: 'unexpected',
    message: `Something went wrong: ${detail}. Try again; if it keeps happening, see the “ModelsLab” output channel.`,
    action: 'retry',
  };
}
