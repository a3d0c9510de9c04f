// Shows one chat answer in the webview: maps the runner's events to protocol messages. The
// answer's text goes out coalesced (DeltaBatcher); every request ends with exactly one terminal
// message: answerEnd once the answer was shown, requestRefused if it never got that far.
import type { AnswerEvent, AnswerOutcome } from '../llm/answerRunner';
import { describeError } from '../platform/errorMessages';
import type { ErrorView, HostToWebview } from '../shared/protocol';
import { DeltaBatcher } from './deltaBatcher';

type AnswerShown = Extract<HostToWebview, { type: 'answerStart' | 'answerResume' }>;

export class AnswerPresenter {
  private shown = false;
  private ended = false;
  private readonly batcher: DeltaBatcher;

  constructor(
    private readonly post: (message: HostToWebview) => void,
    private readonly requestId: string,
    deltaIntervalMs?: number,
    /** The error as shown; the session may add to it (e.g. "Retry with …"). */
    private readonly errorFor: (outcome: AnswerOutcome) => ErrorView | undefined = errorOf,
  ) {
    this.batcher = new DeltaBatcher((text) => this.post({ type: 'answerDelta', requestId, text }), deltaIntervalMs);
  }

  /** Sends the text waiting in the batcher now. */
  flush(): void {
    this.batcher.flush();
  }

  /** The answer's place in the panel: a new answer, or the one being continued. */
  show(message: AnswerShown): void {
    this.shown = true;
    this.post(message);
  }

  present(event: AnswerEvent): void {
    switch (event.type) {
      case 'text':
        this.batcher.push(event.text);
        break;
      case 'retrying':
        this.post({ type: 'answerWaiting', requestId: this.requestId, retryAt: event.retryAt, reason: event.reason });
        break;
      case 'queued':
        this.post({ type: 'answerQueued', requestId: this.requestId, position: event.position });
        break;
      case 'fallback':
        this.post({ type: 'answerFallback', requestId: this.requestId, from: event.from, to: event.to, reason: event.reason });
        break;
      case 'tool':
        // The text before the tool goes out first, so the transcript keeps its order.
        this.batcher.flush();
        this.post({ type: 'answerTool', requestId: this.requestId, tool: { ...event.activity } });
        break;
      case 'end':
        this.end(event.outcome);
        break;
      default:
        break; // usage and model arrive with the end; raw tool calls belong to the agent's loop
    }
  }

  /** For a request turned down before it started (e.g. another answer is streaming). */
  refuse(level: 'info' | 'warning' | 'error', text: string): void {
    if (this.ended) return;
    this.ended = true;
    this.post({ type: 'requestRefused', requestId: this.requestId, level, text });
  }

  private end(outcome: AnswerOutcome): void {
    if (this.ended) return;
    const error = this.errorFor(outcome);
    if (!this.shown) {
      this.refuse('error', error?.message ?? 'The request ended before it started.');
      return;
    }
    this.ended = true;
    this.batcher.flush();
    const status = outcome.status;
    this.post({ type: 'answerEnd', requestId: this.requestId, status, ...(outcome.usage ? { usage: outcome.usage } : {}), ...(error ? { error } : {}) });
  }
}

export function errorOf(outcome: AnswerOutcome): ErrorView | undefined {
  return outcome.error === undefined ? undefined : describeError(outcome.error);
}
