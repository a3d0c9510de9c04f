// A tiny logging interface: the extension adapts VS Code's LogOutputChannel to it.
import { redactSecrets } from './redact';

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

const ignore = (): void => undefined;

export const noopLogger: Logger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * Wraps a logger so every message and argument passes through redactSecrets first.
 * Arguments are turned into strings: a log line must never carry a live object holding the key.
 */
export function redactingLogger(logger: Logger, secrets: () => readonly string[]): Logger {
  const wrap =
    (write: (message: string, ...args: unknown[]) => void) =>
    (message: string, ...args: unknown[]): void => {
      const clean = (text: string) => redactSecrets(text, secrets());
      write(clean(message), ...args.map((arg) => clean(describe(arg))));
    };
  return {
    trace: wrap(logger.trace.bind(logger)),
    debug: wrap(logger.debug.bind(logger)),
    info: wrap(logger.info.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    error: wrap(logger.error.bind(logger)),
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
