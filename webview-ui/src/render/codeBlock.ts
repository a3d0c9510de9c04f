// The code block widget: toolbar (copy / insert / apply / new file) + highlighted code, and
// the way back from a rendered block to its exact source text.
import { findElements, isTag } from './domWalk';
import { highlightToNodes, resolveLanguage } from './highlight';

export interface CodeBlockSource {
  /** The lines between the fences exactly as written, joined with '\n', no final newline. */
  code: string;
  /** The fence's language tag as written (`ts`, `python`…), or '' if none. */
  language: string;
}

interface ToolbarAction {
  action: string;
  label: string;
  title: string;
  icon: string;
}

/**
 * Set on <body> while code blocks wrap long lines. One switch for the whole panel, as word
 * wrap is one switch for an editor, so a block re-rendered while it streams keeps it.
 */
export const WRAP_CODE_CLASS = 'ml-wrap-code';

const ACTIONS: readonly ToolbarAction[] = [
  { action: 'copy', label: 'Copy code', title: 'Copy', icon: 'codicon-copy' },
  { action: 'insert', label: 'Insert at cursor', title: 'Insert at Cursor', icon: 'codicon-insert' },
  { action: 'apply', label: 'Apply to editor', title: 'Apply to Editor', icon: 'codicon-git-compare' },
  { action: 'newFile', label: 'Open in new file', title: 'Open in New File', icon: 'codicon-new-file' },
];

// Kept beside the DOM so copy/apply get the source even if the rendered text were ever to
// differ from it (the <code> text equals it today; getCodeBlockSource falls back to that).
const sources = new WeakMap<Element, CodeBlockSource>();

/** The fence info string's first word if it looks like a language name, else ''. */
export function languageTagFromInfo(info: string | undefined | null): string {
  const word = (info ?? '').trim().split(/\s/, 1)[0] ?? '';
  return /^[\w+#.-]{1,40}$/.test(word) ? word : '';
}

/**
 * Blocks with a line longer than this, or longer in all than HIGHLIGHT_MAX_CHARS, are shown
 * as plain text with a Highlight button: highlight.js takes time that grows faster than the
 * text on long lines, and the block is re-rendered on every frame while it streams.
 */
export const HIGHLIGHT_MAX_LINE = 2_000;
export const HIGHLIGHT_MAX_CHARS = 100_000;

export function createCodeBlock(doc: Document, code: string, language: string, index: number): HTMLElement {
  const block = doc.createElement('div');
  block.className = 'ml-code';
  block.setAttribute('data-language', language);
  block.setAttribute('data-code-index', String(index));

  const toolbar = doc.createElement('div');
  toolbar.className = 'ml-code-toolbar';
  const languageLabel = doc.createElement('span');
  languageLabel.className = 'ml-code-lang';
  languageLabel.textContent = language || 'text';
  toolbar.append(languageLabel);

  const pre = doc.createElement('pre');
  // Long lines scroll sideways: the keyboard must reach the scroller too, under a name.
  pre.tabIndex = 0;
  pre.setAttribute('role', 'region');
  pre.setAttribute('aria-label', `${language || 'Plain text'} code`);
  const codeEl = doc.createElement('code');
  codeEl.className = language ? `hljs language-${language}` : 'hljs';
  const deferred = resolveLanguage(language) !== null && isTooLargeToHighlight(code);
  const highlighted = deferred ? null : highlightSafely(code, language, doc);
  if (highlighted) codeEl.append(highlighted);
  else codeEl.textContent = code;
  pre.append(codeEl);

  if (deferred) toolbar.append(createHighlightButton(doc, code, language, codeEl));
  toolbar.append(createWrapButton(doc));
  for (const { action, label, title, icon } of ACTIONS) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'ml-code-btn';
    button.setAttribute('data-action', action);
    button.setAttribute('aria-label', label);
    button.title = title;
    button.append(glyph(doc, icon));
    toolbar.append(button);
  }

  block.append(toolbar, pre);
  sources.set(block, { code, language });
  return block;
}

function glyph(doc: Document, icon: string): HTMLElement {
  const span = doc.createElement('span');
  span.className = `codicon ${icon}`;
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** A toggle: its state is the panel's, read when the block is built and kept by the click handler. */
function createWrapButton(doc: Document): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'ml-code-btn ml-code-wrap';
  button.setAttribute('data-action', 'wrap');
  button.setAttribute('aria-label', 'Wrap long lines');
  button.setAttribute('aria-pressed', String(doc.body?.classList.contains(WRAP_CODE_CLASS) ?? false));
  button.title = 'Wrap Long Lines';
  button.append(glyph(doc, 'codicon-word-wrap'));
  return button;
}

/** Wraps (or stops wrapping) every code block in the panel, and keeps the toggles in step. */
export function setCodeWrap(doc: Document, wrap: boolean): void {
  doc.body?.classList.toggle(WRAP_CODE_CLASS, wrap);
  for (const toggle of Array.from(doc.querySelectorAll('.ml-code-btn[data-action="wrap"]'))) {
    toggle.setAttribute('aria-pressed', String(wrap));
  }
}

function isTooLargeToHighlight(code: string): boolean {
  if (code.length > HIGHLIGHT_MAX_CHARS) return true;
  if (code.length <= HIGHLIGHT_MAX_LINE) return false;
  for (let start = 0; ; ) {
    const newline = code.indexOf('\n', start);
    if ((newline < 0 ? code.length : newline) - start > HIGHLIGHT_MAX_LINE) return true;
    if (newline < 0) return false;
    start = newline + 1;
  }
}

/** Highlighted nodes, or null for plain text (unknown language, or highlight.js failed). */
function highlightSafely(code: string, language: string, doc: Document, maxLineLength?: number): DocumentFragment | null {
  try {
    return highlightToNodes(code, language, doc, maxLineLength);
  } catch {
    return null;
  }
}

/**
 * "Highlight": highlights a block that was too large to highlight by itself, when asked. Long
 * lines are highlighted up to HIGHLIGHT_MAX_LINE characters, the rest of them stays plain,
 * so even a megabyte-long line takes about as long as a normal block of its size.
 */
function createHighlightButton(doc: Document, code: string, language: string, codeEl: HTMLElement): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'ml-code-btn ml-code-highlight';
  button.setAttribute('data-action', 'highlight');
  button.setAttribute('aria-label', 'Highlight syntax');
  button.title = 'Large block, shown without syntax highlighting. Highlight it';
  const label = doc.createElement('span');
  label.textContent = 'Highlight';
  button.append(glyph(doc, 'codicon-symbol-color'), label);
  button.addEventListener('click', () => {
    const highlighted = highlightSafely(code, language, doc, HIGHLIGHT_MAX_LINE);
    if (highlighted) codeEl.replaceChildren(highlighted);
    // Focus stays in the toolbar rather than falling back to the page.
    const hadFocus = button.ownerDocument.activeElement === button;
    const next = button.nextElementSibling as HTMLElement | null;
    button.remove();
    if (hadFocus) next?.focus();
  });
  return button;
}

/**
 * Replaces every `<pre><code>` in sanitised markup (e.g. code inside list items) with a code
 * block widget, numbering from `firstIndex`. Returns how many it replaced.
 */
export function enhanceCodeBlocks(root: Node, doc: Document, firstIndex: number): number {
  let index = firstIndex;
  // Only marked's exact shape, <pre><code>…</code></pre>; other <pre> stay as they are.
  const isCodePre = (el: Element) => isTag(el, 'pre') && el.childNodes.length === 1 && isTag(el.firstChild as Element, 'code');
  for (const pre of findElements(root, isCodePre)) {
    const codeEl = pre.firstChild as Element;
    const language = languageTagFromInfo(/(?:^|\s)language-(\S+)/.exec(codeEl.className)?.[1]);
    pre.replaceWith(createCodeBlock(doc, codeEl.textContent ?? '', language, index++));
  }
  return index - firstIndex;
}

/** The source of the code block containing `el` (the block itself or e.g. a toolbar button). */
export function getCodeBlockSource(el: Element): CodeBlockSource | null {
  const block = el.closest('.ml-code');
  if (!block) return null;
  const known = sources.get(block);
  if (known) return { ...known };
  const codeEl = block.querySelector('pre > code');
  if (!codeEl) return null;
  return { code: codeEl.textContent ?? '', language: block.getAttribute('data-language') ?? '' };
}
