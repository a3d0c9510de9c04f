// The code block widget: toolbar (copy / insert / apply / new file) + highlighted code, and
// the way back from a rendered block to its exact source text.
import { findElements, isTag } from './domWalk';
import { highlightToNodes } from './highlight';

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
  for (const { action, label, title, icon } of ACTIONS) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'ml-code-btn';
    button.setAttribute('data-action', action);
    button.setAttribute('aria-label', label);
    button.title = title;
    const glyph = doc.createElement('span');
    glyph.className = `codicon ${icon}`;
    glyph.setAttribute('aria-hidden', 'true');
    button.append(glyph);
    toolbar.append(button);
  }

  const pre = doc.createElement('pre');
  const codeEl = doc.createElement('code');
  codeEl.className = language ? `hljs language-${language}` : 'hljs';
  const highlighted = highlightToNodes(code, language, doc);
  if (highlighted) codeEl.append(...highlighted);
  else codeEl.textContent = code;
  pre.append(codeEl);

  block.append(toolbar, pre);
  sources.set(block, { code, language });
  return block;
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
