import './styles.css';
import './render/render.css';
import { App } from './app';
import type { UiState } from './uiState';
import { connectToHost } from './vscodeApi';

const root = document.getElementById('app') as HTMLElement;
const app = new App({
  root,
  host: connectToHost<UiState>(),
  IntersectionObserver: window.IntersectionObserver,
  ResizeObserver: window.ResizeObserver,
});
app.start();
