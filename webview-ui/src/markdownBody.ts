// The seam between the views and the streaming markdown renderer (webview-ui/src/render).
import { createPlainBlock, setPlainText } from './render/plainBlock';
import { StreamingMarkdownRenderer } from './render/streamingRenderer';

export { getCodeBlockSource } from './render/streamingRenderer';
export { setCodeWrap, WRAP_CODE_CLASS } from './render/codeBlock';

export interface MarkdownRenderer {
  append(text: string): void;
  flush(): void;
  finish(): void;
  setText(text: string): void;
  readonly text: string;
}

export type RendererFactory = (container: HTMLElement) => MarkdownRenderer;

export function markdownRendererFactory(doc: Document, scheduleFrame?: (cb: () => void) => void): RendererFactory {
  return (container) => new StreamingMarkdownRenderer(container, scheduleFrame ? { document: doc, scheduleFrame } : { document: doc });
}

/**
 * The body as plain text, with the notice that it could not be formatted: what a message view
 * falls back to if its markdown renderer throws, so one message never takes the panel down.
 */
export class PlainTextRenderer implements MarkdownRenderer {
  private readonly block: HTMLElement;
  private value: string;

  constructor(container: HTMLElement, doc: Document, text: string) {
    this.value = text;
    this.block = createPlainBlock(doc, text);
    container.replaceChildren(this.block);
  }

  get text(): string {
    return this.value;
  }

  append(text: string): void {
    this.value += text;
    setPlainText(this.block, this.value);
  }

  flush(): void {}

  finish(): void {}

  setText(text: string): void {
    this.value = text;
    setPlainText(this.block, text);
  }
}

/** The renderer's text, or '' if even that fails. */
export function textOf(renderer: MarkdownRenderer): string {
  try {
    return renderer.text;
  } catch {
    return '';
  }
}

const CHARS_PER_LINE = 64;
const LINE_HEIGHT_PX = 19;
const MAX_ESTIMATE_PX = 40_000;

/**
 * A rough height for a message body that is not rendered yet, so the scrollbar is about
 * right and the jump is small when it renders. Wrapped lines at a sidebar-ish width.
 */
export function estimateBodyHeight(text: string): number {
  let lines = 0;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const length = (end === -1 ? text.length : end) - start;
    lines += Math.max(1, Math.ceil(length / CHARS_PER_LINE));
    if (end === -1) break;
    start = end + 1;
  }
  return Math.min(MAX_ESTIMATE_PX, lines * LINE_HEIGHT_PX + 16);
}
