// The panel's messages are handled by small groups, one per concern; this is the type that
// makes sure, at compile time, that together they handle every message the webview can send.
import type { WebviewToHost } from '../../shared/protocol';

export type MessageOf<T extends WebviewToHost['type']> = Extract<WebviewToHost, { type: T }>;

export type HandlerMap = { [T in WebviewToHost['type']]: (message: MessageOf<T>) => void | Promise<void> };

/** Routes one (validated) message to its handler. */
export function dispatch(handlers: HandlerMap, message: WebviewToHost): void | Promise<void> {
  const handler = handlers[message.type] as (message: WebviewToHost) => void | Promise<void>;
  return handler(message);
}
