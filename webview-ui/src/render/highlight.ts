// Syntax highlighting with highlight.js CORE and a curated set of languages, to keep the
// webview bundle small. No auto-detection: it runs every grammar over the text, which is
// slow on big blocks and often wrong; an unknown language is shown as plain text.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, java, javascript, json, kotlin, markdown,
  php, python, ruby, rust, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, definition] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, definition);

// Names models write that the grammars above do not already alias.
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['sh', 'zsh', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['console', 'terminal'], { languageName: 'shell' });
hljs.registerAliases(['typescriptreact'], { languageName: 'typescript' });
hljs.registerAliases(['javascriptreact'], { languageName: 'javascript' });
hljs.registerAliases(['vue', 'svelte'], { languageName: 'xml' });

const registeredNames = new Map<unknown, string>(
  Object.keys(LANGUAGES).map((name) => [hljs.getLanguage(name), name]),
);

/** The registered grammar name for a fence's language tag (`ts` → `typescript`), or null. */
export function resolveLanguage(tag: string): string | null {
  return (tag && registeredNames.get(hljs.getLanguage(tag))) || null;
}

/**
 * Highlighted DOM nodes for `code`, or null when the language is unknown (the caller then
 * shows plain text). The text content of the result equals `code` exactly.
 *
 * With `maxLineLength`, a longer line is highlighted on its own and only up to that length;
 * the rest of it follows as plain text. highlight.js can take time quadratic in a line's
 * length (a 40,000-character identifier takes seconds), so a megabyte-long line would never
 * finish; and on its own, a cut-off string or comment cannot run into the lines after it.
 */
export function highlightToNodes(code: string, languageTag: string, doc: Document, maxLineLength = Infinity): DocumentFragment | null {
  if (!languageTag || !hljs.getLanguage(languageTag)) return null;
  const root = doc.createDocumentFragment();
  const highlight = (text: string) => {
    if (text) buildFromHighlightHtml(hljs.highlight(text, { language: languageTag, ignoreIllegals: true }).value, doc, root);
  };
  if (code.length <= maxLineLength) {
    highlight(code);
    return root;
  }
  let runStart = 0; // the lines since the last long one, highlighted together
  for (let start = 0; start < code.length; ) {
    const newline = code.indexOf('\n', start);
    const end = newline < 0 ? code.length : newline;
    if (end - start > maxLineLength) {
      highlight(code.slice(runStart, start));
      highlight(code.slice(start, start + maxLineLength));
      root.append(doc.createTextNode(code.slice(start + maxLineLength, end)));
      runStart = end;
    }
    start = end + 1;
  }
  highlight(code.slice(runStart));
  return root;
}

const HLJS_MARKUP = /<span class="([^"]*)">|<\/span>|[^<]+|</g;
const SAFE_CLASS = /^[\w\- ]{1,80}$/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };

/**
 * highlight.js returns HTML made only of `<span class="hljs-…">`, `</span>` and escaped text.
 * Rather than trusting it with innerHTML, build exactly that into `root`: spans with a class,
 * and text nodes. Anything unexpected becomes text, so no other element or attribute can appear.
 */
function buildFromHighlightHtml(html: string, doc: Document, root: DocumentFragment): void {
  const stack: ParentNode[] = [root];
  for (const match of html.matchAll(HLJS_MARKUP)) {
    const top = stack[stack.length - 1];
    const [piece, className] = match;
    if (className !== undefined) {
      const span = doc.createElement('span');
      if (SAFE_CLASS.test(className)) span.className = className;
      top.append(span);
      stack.push(span);
    } else if (piece === '</span>') {
      if (stack.length > 1) stack.pop();
    } else {
      top.append(doc.createTextNode(piece.replace(/&(?:amp|lt|gt|quot|#x27|#39);/g, (e) => ENTITIES[e] ?? e)));
    }
  }
}

/**
 * highlight.js compiles a grammar the first time it is used, up to ~30 ms for a large one; in
 * the middle of a stream that is a visible hitch. This compiles them ahead, one per idle
 * moment, so each costs one short task while nothing else is happening.
 */
export function warmUpGrammars(whenIdle: (work: () => void) => void): void {
  const pending = Object.keys(LANGUAGES);
  const next = () => {
    const name = pending.shift();
    if (!name) return;
    hljs.highlight('x', { language: name, ignoreIllegals: true });
    whenIdle(next);
  };
  whenIdle(next);
}
