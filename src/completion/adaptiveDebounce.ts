// How long ghost text waits after a keystroke before it asks the model. A fixed wait either fires
// mid-word for a slower typist (a request thrown away at the next key) or makes a fast one wait
// for nothing; so the wait follows the user's own rhythm: a bit longer than their usual gap
// between keys. Slow replies lengthen it a little too: a request that will take long anyway is
// worth a short extra wait, since each one sent mid-word holds one of the account's few slots.

export interface AdaptiveDebounceOptions {
  /** The configured debounce: the wait until a rhythm is known, and the shortest wait. */
  baseMs: number;
  /** Shortest wait. Default `baseMs`. */
  minMs?: number;
  /** Longest wait. Default the larger of 3 × `baseMs` and `baseMs` + 300. */
  maxMs?: number;
  /** The clock keystrokes are timed by (ms). Default Date.now. */
  now?: () => number;
}

/** The wait is the median gap between keys times this: most gaps inside a word are shorter. */
const GAP_FACTOR = 1.5;
/** Share of the median reply time added to the wait. */
const LATENCY_SHARE = 0.15;
/** Gaps (and reply times) remembered: enough for a median, few enough to follow a change of pace. */
const GAPS_KEPT = 8;
const LATENCIES_KEPT = 5;
/** Fewer gaps than this are no rhythm yet. */
const MIN_GAPS = 3;
/** A gap longer than this is a pause (reading, thinking), not typing. */
const PAUSE_MS = 1500;

export class AdaptiveDebounce {
  baseMs: number;
  minMs: number;
  maxMs: number;
  private readonly now: () => number;
  private lastKeyAt: number | undefined;
  private readonly gaps: number[] = [];
  private readonly latencies: number[] = [];

  constructor(options: AdaptiveDebounceOptions) {
    this.baseMs = Math.max(0, options.baseMs);
    this.minMs = Math.max(0, options.minMs ?? this.baseMs);
    this.maxMs = Math.max(this.minMs, options.maxMs ?? Math.max(3 * this.baseMs, this.baseMs + 300));
    this.now = options.now ?? Date.now;
  }

  /** The setting changed: a new base, with the bounds it implies (the rhythm learnt so far stays). */
  setBase(baseMs: number): void {
    this.baseMs = Math.max(0, baseMs);
    this.minMs = this.baseMs;
    this.maxMs = Math.max(3 * this.baseMs, this.baseMs + 300);
  }

  /** A keystroke (an edit that asks for ghost text) happened now. */
  keystroke(): void {
    const at = this.now();
    const gap = this.lastKeyAt === undefined ? undefined : at - this.lastKeyAt;
    this.lastKeyAt = at;
    if (gap !== undefined && gap >= 0 && gap <= PAUSE_MS) push(this.gaps, gap, GAPS_KEPT);
  }

  /** A request took this long from sending to its last text. */
  latency(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) push(this.latencies, ms, LATENCIES_KEPT);
  }

  /** The wait before asking, now. */
  delayMs(): number {
    const rhythm = this.gaps.length >= MIN_GAPS ? GAP_FACTOR * median(this.gaps) : this.baseMs;
    const slowReplies = this.latencies.length ? LATENCY_SHARE * median(this.latencies) : 0;
    return Math.round(Math.min(this.maxMs, Math.max(this.minMs, rhythm + slowReplies)));
  }
}

function push(list: number[], value: number, kept: number): void {
  list.push(value);
  if (list.length > kept) list.shift();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
