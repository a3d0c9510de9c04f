// Time as the views see it; tests pass a fake clock to drive countdowns deterministically.
import { secondsUntil } from './format';

export interface Clock {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Calls `onTick(secondsLeft)` now and every second until `until`, then `onDone()`.
 * Returns a function that stops it early (views call it when they are removed).
 */
export function startCountdown(clock: Clock, until: number, onTick: (secondsLeft: number) => void, onDone: () => void): () => void {
  let handle: unknown;
  const tick = (): boolean => {
    const left = secondsUntil(until, clock.now());
    if (left <= 0) {
      if (handle !== undefined) clock.clearInterval(handle);
      handle = undefined;
      onDone();
      return false;
    }
    onTick(left);
    return true;
  };
  if (tick()) handle = clock.setInterval(tick, 1000);
  return () => {
    if (handle !== undefined) clock.clearInterval(handle);
    handle = undefined;
  };
}
