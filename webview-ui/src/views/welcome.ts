// Shown instead of the composer until an API key is set.
import { button, el } from '../dom';

export function createWelcome(doc: Document, onSetApiKey: () => void): HTMLElement {
  return el(doc, 'section', { className: 'ml-welcome', attrs: { 'aria-labelledby': 'ml-welcome-title' } }, [
    el(doc, 'h2', { className: 'ml-welcome-title', text: 'Welcome to ModelsLab Coder', attrs: { id: 'ml-welcome-title' } }),
    el(doc, 'p', {
      text: 'Chat with Qwen2.5-Coder and other ModelsLab models about your code: ask questions, attach the selection or a file, and insert or apply the answers in your editor.',
    }),
    el(doc, 'p', { className: 'ml-muted', text: 'Add your ModelsLab API key to start. It is kept in VS Code’s secret storage.' }),
    button(doc, { label: 'Set API Key', icon: 'key', text: 'Set API Key', className: 'ml-btn-primary', onClick: onSetApiKey }),
  ]);
}
