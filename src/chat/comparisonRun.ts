// One prompt answered by several models at once: a column per model, each an ordinary answer
// of the shared runner (so the queue governor, retries and fallback apply to each), with the
// figures a comparison is for: time to first token, tokens per second, usage and how it ended.
import type { AnswerEvent, AnswerOutcome, AnswerRunner } from '../llm/answerRunner';
import { modelLabel } from '../llm/catalogue';
import type { ChatRequest } from '../llm/request';
import { describeError } from '../platform/errorMessages';
import type { ColumnView, HostToCompare } from '../shared/compareProtocol';
import { fallbackText, queuedText } from '../shared/answerNotes';
import { DeltaBatcher } from './deltaBatcher';

export interface ComparisonClock {
  /** Monotonic milliseconds. */
  now(): number;
}

/** Four characters a token: only when the server sent no usage. */
const CHARS_PER_TOKEN = 4;

export class ComparisonRun {
  readonly columns: ColumnView[];
  private readonly started: number;
  private readonly firstTokenAt: (number | undefined)[];
  private readonly batchers: DeltaBatcher[];
  /** Per column, the text already sent as deltas (the rest waits in its batcher). */
  private readonly posted: string[];
  /** Resolves when every column has ended, with the outcomes in column order. */
  readonly done: Promise<AnswerOutcome[]>;

  constructor(
    private readonly runner: AnswerRunner,
    private readonly id: string,
    requests: readonly ChatRequest[],
    private readonly post: (message: HostToCompare) => void,
    private readonly clock: ComparisonClock = { now: () => performance.now() },
    deltaIntervalMs?: number,
  ) {
    this.columns = requests.map((r) => ({ model: r.model, label: modelLabel(r.model), status: 'waiting', text: '' }));
    this.started = clock.now();
    this.firstTokenAt = requests.map(() => undefined);
    this.posted = requests.map(() => '');
    this.batchers = requests.map(
      (_, column) =>
        new DeltaBatcher((text) => {
          this.posted[column] += text;
          this.post({ type: 'delta', column, text });
        }, deltaIntervalMs),
    );
    this.done = Promise.all(requests.map((request, column) => this.runner.run(this.answerId(column), request, (event) => this.onEvent(column, event))));
  }

  /** Stops one column, or every one still running. */
  stop(column?: number): void {
    if (column !== undefined) this.runner.cancel(this.answerId(column));
    else this.columns.forEach((_, index) => this.runner.cancel(this.answerId(index)));
  }

  /**
   * The columns as a view that opens now must show them: the text already sent as deltas, not
   * the text still waiting in a batcher, which arrives as the next delta (else it would show twice).
   */
  snapshot(): ColumnView[] {
    return this.columns.map((column, index) => ({ ...column, text: this.posted[index] }));
  }

  get running(): boolean {
    return this.columns.some((c) => c.status === 'waiting' || c.status === 'queued' || c.status === 'streaming');
  }

  private answerId(column: number): string {
    return `${this.id}:${column}`;
  }

  private onEvent(column: number, event: AnswerEvent): void {
    const state = this.columns[column];
    switch (event.type) {
      case 'text':
        if (this.firstTokenAt[column] === undefined) {
          this.firstTokenAt[column] = this.clock.now();
          this.update(column, { status: 'streaming', firstTokenMs: Math.round(this.clock.now() - this.started), note: undefined });
        }
        state.text += event.text;
        this.batchers[column].push(event.text);
        break;
      case 'queued':
        // Position 0: the slot came free and the request is on its way.
        if (event.position <= 0) this.update(column, { status: 'waiting', note: undefined });
        else this.update(column, { status: 'queued', note: queuedText(event.position) });
        break;
      case 'retrying':
        this.update(column, { note: `${capitalize(event.reason)}: retrying in ${Math.max(1, Math.ceil(event.delayMs / 1000))} s` });
        break;
      case 'fallback':
        this.update(column, { note: fallbackText(modelLabel(event.to), modelLabel(event.from), event.reason) });
        break;
      case 'usage':
        this.update(column, { usage: event.usage });
        break;
      case 'end':
        this.batchers[column].flush();
        this.update(column, this.ending(column, event.outcome));
        break;
      default:
        if (state.status === 'waiting') this.update(column, { status: 'streaming' });
        break;
    }
  }

  private ending(column: number, outcome: AnswerOutcome): Partial<ColumnView> {
    const first = this.firstTokenAt[column];
    const tokens = outcome.usage?.completionTokens ?? Math.round(outcome.text.length / CHARS_PER_TOKEN);
    const seconds = first === undefined ? 0 : (this.clock.now() - first) / 1000;
    return {
      status: outcome.status,
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      ...(seconds > 0 && tokens > 0 ? { tokensPerSecond: Math.round((tokens / seconds) * 10) / 10 } : {}),
      ...(outcome.error !== undefined ? { error: describeError(outcome.error) } : {}),
      // A fallback note stays: it says which model wrote the text.
      ...(outcome.fallback ? {} : { note: undefined }),
    };
  }

  private update(column: number, change: Partial<ColumnView>): void {
    const state = Object.assign(this.columns[column], change);
    for (const key of Object.keys(change) as (keyof ColumnView)[]) if (change[key] === undefined) delete state[key];
    const { text: _text, model: _model, label: _label, ...rest } = state;
    this.post({ type: 'column', column, state: rest });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
