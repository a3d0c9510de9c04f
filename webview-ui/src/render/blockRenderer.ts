// One top-level markdown token → sanitised DOM nodes, ready to insert into the live document.
// Each block is sanitised on its own, so markup cannot leak from one block into the next
// (an unclosed <a> or <div> ends with its block), in streaming and one-shot rendering alike.
// Each block is also rendered inside its own error boundary: a block that fails (model output
// is untrusted, and some is built to break parsers) is shown as plain text with a notice, and
// the blocks around it render as usual.
import { createCodeBlock, enhanceCodeBlocks, languageTagFromInfo } from './codeBlock';
import { MAX_HTML_DEPTH, nestsDeeperThan } from './guards';
import { PLAIN_TOKEN, codeText, tokenToHtml, type Token, type Tokens } from './markdown';
import { createPlainBlock } from './plainBlock';
import { sanitizeHtml } from './sanitize';

export interface RenderedBlock {
  /** Top-level nodes of the block, in order (none for blank lines and link definitions). */
  nodes: Node[];
  /** How many code blocks it contains (they are numbered across the whole message). */
  codeCount: number;
}

const TEXT_NODE = 3;

export function renderBlock(token: Token, doc: Document, firstCodeIndex: number): RenderedBlock {
  try {
    return renderFormatted(token, doc, firstCodeIndex);
  } catch {
    return { nodes: [createPlainBlock(doc, token.raw)], codeCount: 0 };
  }
}

function renderFormatted(token: Token, doc: Document, firstCodeIndex: number): RenderedBlock {
  switch (token.type) {
    case 'space':
    case 'def':
      return { nodes: [], codeCount: 0 };
    case PLAIN_TOKEN:
      return { nodes: [createPlainBlock(doc, token.raw)], codeCount: 0 };
    case 'code': {
      // Fast path for the common (and often large, often still streaming) case: the text goes
      // straight into text nodes, no HTML round trip.
      const block = createCodeBlock(doc, codeText(token as Tokens.Code), languageTagFromInfo(token.lang), firstCodeIndex);
      return { nodes: [block], codeCount: 1 };
    }
    default: {
      const html = tokenToHtml(token);
      if (nestsDeeperThan(html, MAX_HTML_DEPTH)) return { nodes: [createPlainBlock(doc, token.raw)], codeCount: 0 };
      const fragment = sanitizeHtml(html, doc);
      const codeCount = enhanceCodeBlocks(fragment, doc, firstCodeIndex);
      // marked puts '\n' between blocks; such text nodes carry nothing at the top level.
      const nodes: Node[] = [];
      for (let node = fragment.firstChild; node; node = node.nextSibling) {
        if (node.nodeType !== TEXT_NODE || (node.nodeValue ?? '').trim() !== '') nodes.push(node);
      }
      return { nodes, codeCount };
    }
  }
}
