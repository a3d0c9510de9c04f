// The one typed wrapper around acquireVsCodeApi(): everything the webview posts goes through here.
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface HostBridge<State> {
  post(message: WebviewToHost): void;
  onMessage(listener: (message: HostToWebview) => void): void;
  getState(): State | undefined;
  setState(state: State): void;
}

export function connectToHost<State>(): HostBridge<State> {
  const api = acquireVsCodeApi<State>();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (listener) => {
      window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
        // The host is the only sender; anything without a type is not ours.
        if (event.data && typeof event.data === 'object' && typeof event.data.type === 'string') listener(event.data);
      });
    },
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}
