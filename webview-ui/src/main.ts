import './styles.css';
import './render/render.css';
import { App } from './app';
import type { UiState } from './uiState';
import { connectToHost } from './vscodeApi';
import { StreamingMarkdownRenderer, renderMarkdownToElement } from './render/streamingRenderer';
import { warmUpGrammars } from './render/highlight';

// The benchmark page (test/bench) measures this very bundle's renderer; it marks itself so.
if (document.documentElement.dataset.modelslabBench === '1') {
  (window as unknown as Record<string, unknown>).modelslabRenderer = { StreamingMarkdownRenderer, renderMarkdownToElement };
}

const root = document.getElementById('app') as HTMLElement;
const app = new App({
  root,
  host: connectToHost<UiState>(),
  IntersectionObserver: window.IntersectionObserver,
  ResizeObserver: window.ResizeObserver,
});
app.start();
warmUpGrammars((work) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => work(), { timeout: 2000 }) : setTimeout(work, 50)));
