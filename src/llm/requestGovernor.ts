// Limits how many requests a window has open at ModelsLab at once. ModelsLab queues only 5, 10
// or 15 requests per account (by plan) and answers more with 429, so a burst (a comparison,
// several editor actions, the agent) would otherwise turn into a storm of 429s and retries.
// Waiters are served strictly first come, first served; each can watch its place in line.
import { cancelledError, formatSeconds, ModelsLabError } from './errors';
import type { ChatChunk } from './types';

/** Gives the slot back. Calling it again does nothing. */
export type Release = () => void;

/** The timers behind the wait cap (ManualTimers in tests fit this). */
export interface GovernorTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RequestGovernorOptions {
  /** Requests allowed in flight at once (modelslab.maxConcurrentRequests). */
  limit: number;
  /** Longest wait for a slot before the request fails. Default 120 000. */
  maxWaitMs?: number;
  timers?: GovernorTimers;
}

export const DEFAULT_MAX_SLOT_WAIT_MS = 120_000;

interface Waiter {
  grant(release: Release): void;
  onPosition?: (position: number) => void;
  /** The last position told, so an unchanged place is not told again. */
  told?: number;
}

const defaultTimers: GovernorTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class RequestGovernor {
  private currentLimit: number;
  private active = 0;
  private readonly queue: Waiter[] = [];
  private readonly maxWaitMs: number;
  private readonly timers: GovernorTimers;

  constructor(options: RequestGovernorOptions) {
    this.currentLimit = validLimit(options.limit);
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_SLOT_WAIT_MS;
    this.timers = options.timers ?? defaultTimers;
  }

  get limit(): number {
    return this.currentLimit;
  }

  /** Slots held now. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** A raised limit admits waiters at once; a lowered one takes effect as slots come back. */
  setLimit(limit: number): void {
    this.currentLimit = validLimit(limit);
    this.admit();
  }

  /**
   * Resolves with a Release once a slot is free. While waiting, `onPosition` is told the place in
   * line (1 = next) when the wait starts and each time it moves up. Rejects with the cancelled
   * error when `signal` aborts (the waiter leaves the line) and with a 'timeout' error after
   * `maxWaitMs`.
   */
  acquire(signal?: AbortSignal, onPosition?: (position: number) => void): Promise<Release> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    if (this.queue.length === 0 && this.active < this.currentLimit) return Promise.resolve(this.take());
    return new Promise<Release>((resolve, reject) => {
      const leave = () => {
        this.timers.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const remove = (error: ModelsLabError) => {
        const index = this.queue.indexOf(waiter);
        if (index < 0) return;
        this.queue.splice(index, 1);
        leave();
        reject(error);
        this.tellPositions(index);
      };
      const waiter: Waiter = {
        grant: (release) => {
          leave();
          resolve(release);
        },
        onPosition,
      };
      const onAbort = () => remove(cancelledError());
      const timer = this.timers.setTimeout(() => remove(waitCapError(this.active, this.maxWaitMs)), this.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.tellPositions(this.queue.length - 1);
    });
  }

  private take(): Release {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.admit();
    };
  }

  /** Hands free slots to the front of the line, then tells the rest where they stand. */
  private admit(): void {
    let admitted = 0;
    while (this.active < this.currentLimit && this.queue.length > 0) {
      (this.queue.shift() as Waiter).grant(this.take());
      admitted++;
    }
    if (admitted > 0) this.tellPositions(0);
  }

  /** Tells each waiter from `from` on its place in line, if it changed. */
  private tellPositions(from: number): void {
    for (let i = from; i < this.queue.length; i++) {
      const waiter = this.queue[i] as Waiter;
      if (waiter.told === i + 1) continue;
      waiter.told = i + 1;
      try {
        waiter.onPosition?.(i + 1);
      } catch {
        // A listener's bug must not stall the line.
      }
    }
  }
}

/** The wait cap: kind 'timeout' (it is not retried, and another model would wait in the same line). */
function waitCapError(running: number, waitedMs: number): ModelsLabError {
  const requests = running === 1 ? '1 request was' : `${running} requests were`;
  return new ModelsLabError({
    kind: 'timeout',
    message: `${requests} already running; this one waited ${formatWait(waitedMs)} for a free slot. Stop an answer or raise modelslab.maxConcurrentRequests if your plan allows more.`,
    detail: 'queue wait',
  });
}

/** True for the governor's own wait-cap error (a fallback to another model would not help). */
export function isSlotWaitError(error: ModelsLabError): boolean {
  return error.kind === 'timeout' && error.detail === 'queue wait';
}

function formatWait(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  return formatSeconds(ms);
}

function validLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1;
}

/**
 * Waits for a slot as a stream: yields `queued` chunks as the place in line changes (only the
 * latest place if several changes came at once), then `{queued, position: 0}` once admitted after
 * a wait ("sending now", so a first-token clock knows to start), and returns the Release. Closing
 * the generator early leaves the line or gives the slot back, so no slot is ever lost.
 */
export async function* queueForSlot(governor: RequestGovernor, signal?: AbortSignal): AsyncGenerator<ChatChunk, Release, undefined> {
  let position: number | undefined;
  let waited = false;
  let outcome: { release: Release } | { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let abandoned = false;
  const local = new AbortController();
  const forwardAbort = () => local.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });
  if (signal?.aborted) local.abort();
  governor
    .acquire(local.signal, (p) => {
      position = p;
      wake?.();
    })
    .then(
      (release) => {
        // Admitted after the caller went away: the slot goes straight back.
        if (abandoned) release();
        else outcome = { release };
        wake?.();
      },
      (error: unknown) => {
        outcome = { error };
        wake?.();
      },
    );
  let handedOver = false;
  try {
    for (;;) {
      if (outcome && 'error' in outcome) throw outcome.error;
      if (outcome) {
        if (waited) yield { type: 'queued', position: 0 };
        handedOver = true;
        return outcome.release;
      }
      if (position !== undefined) {
        const next = position;
        position = undefined;
        waited = true;
        yield { type: 'queued', position: next };
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', forwardAbort);
    if (!handedOver) {
      abandoned = true;
      local.abort();
      if (outcome && 'release' in outcome) outcome.release();
    }
  }
}
