// The baseline the benchmark compares against: what a simple chat view does on every chunk.
// Full parse + sanitise + highlight of the whole text, and the container's content replaced.
// Same output pipeline as the streaming renderer, so only the strategy differs.
import { enhanceCodeBlocks } from './codeBlock';
import { markdownToHtml } from './markdown';
import { sanitizeHtml } from './sanitize';

export function naiveRender(container: HTMLElement, text: string): void {
  const doc = container.ownerDocument;
  const fragment = sanitizeHtml(markdownToHtml(text), doc);
  enhanceCodeBlocks(fragment, doc, 0);
  container.replaceChildren(fragment);
}
