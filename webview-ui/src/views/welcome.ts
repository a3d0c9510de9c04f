// Shown, centred, instead of the chat until an API key is set.
import { GET_KEY_URL } from '../../../src/shared/links';
import { button, el } from '../dom';

export interface WelcomeCallbacks {
  onSetApiKey(): void;
  /** Opens a link through the host (http(s) only). */
  onOpenLink(href: string): void;
}

export function createWelcome(doc: Document, callbacks: WelcomeCallbacks): HTMLElement {
  return el(doc, 'section', { className: 'ml-welcome', attrs: { 'aria-labelledby': 'ml-welcome-title' } }, [
    el(doc, 'span', { className: 'codicon codicon-sparkle ml-welcome-icon', attrs: { 'aria-hidden': 'true' } }),
    el(doc, 'h2', { className: 'ml-welcome-title', text: 'ModelsLab Coder', attrs: { id: 'ml-welcome-title' } }),
    el(doc, 'p', {
      text: 'Ask about your code, attach the selection or a file, and apply the answers in the editor, with Qwen2.5-Coder and the other ModelsLab models.',
    }),
    el(doc, 'div', { className: 'ml-welcome-actions' }, [
      button(doc, { label: 'Set API Key', icon: 'key', text: 'Set API Key', className: 'ml-btn-primary', onClick: () => callbacks.onSetApiKey() }),
      button(doc, { label: 'Get a Key', icon: 'link-external', text: 'Get a Key', onClick: () => callbacks.onOpenLink(GET_KEY_URL) }),
    ]),
    el(doc, 'p', { className: 'ml-muted', text: 'Your key is kept in VS Code’s secret storage, never in settings.' }),
  ]);
}
