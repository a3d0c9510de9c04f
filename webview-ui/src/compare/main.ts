import '../styles.css';
import '../render/render.css';
import './compare.css';
import type { CompareToHost, HostToCompare } from '../../../src/shared/compareProtocol';
import { systemClock } from '../clock';
import { markdownRendererFactory } from '../markdownBody';
import { CompareApp } from './compareApp';
import { frameBudget } from './frameBudget';

declare function acquireVsCodeApi(): { postMessage(message: CompareToHost): void };

const api = acquireVsCodeApi();
const root = document.getElementById('compare') as HTMLElement;
root.classList.add('mlc-app');
const app = new CompareApp({
  root,
  post: (message) => api.postMessage(message),
  clock: systemClock,
  createRenderer: markdownRendererFactory(document, frameBudget((cb) => window.requestAnimationFrame(() => cb()), () => performance.now())),
  ResizeObserver: window.ResizeObserver,
});
app.start((listener) =>
  window.addEventListener('message', (event: MessageEvent<HostToCompare>) => {
    // The host is the only sender; anything without a type is not ours.
    if (event.data && typeof event.data === 'object' && typeof event.data.type === 'string') listener(event.data);
  }),
);
