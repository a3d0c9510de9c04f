// The jsdom document the render tests share, and a one-shot render into a fresh element.
import { JSDOM } from 'jsdom';
import { renderMarkdownToElement } from '../../webview-ui/src/render/streamingRenderer';

export const { window } = new JSDOM('<!doctype html><html><body></body></html>');
export const doc = window.document;

export function render(markdown: string): HTMLElement {
  const el = doc.createElement('div');
  renderMarkdownToElement(markdown, el, doc);
  return el;
}
