// Models asked for "code only" still wrap it in fences, add a sentence before or after, or
// stop mid-fence. This pulls out just the code.

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*$/;

interface FencedBlock {
  language: string;
  code: string;
  closed: boolean;
}

function fencedBlocks(text: string): FencedBlock[] {
  const lines = text.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open) continue;
    const marker = open[1];
    const body: string[] = [];
    let closed = false;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j].trim();
      if (line.startsWith(marker[0].repeat(marker.length)) && line.replace(/[`~]/g, '') === '') {
        closed = true;
        break;
      }
      body.push(lines[j]);
    }
    blocks.push({ language: open[2].toLowerCase(), code: body.join('\n'), closed });
    i = j;
  }
  return blocks;
}

/**
 * The code in a model's answer: the largest fenced block if there is one (an unterminated
 * fence counts: the answer was cut), else the whole answer minus a stray fence line.
 */
export function extractCode(answer: string): string {
  const text = answer.replace(/\r\n/g, '\n');
  // An empty block is a stray fence line (e.g. a closing fence with no opening one), not code.
  const blocks = fencedBlocks(text).filter((b) => b.code.trim() !== '');
  if (blocks.length > 0) {
    const best = blocks.reduce((a, b) => (b.code.length > a.code.length ? b : a));
    return trimBlankEdges(best.code);
  }
  // No fence: drop a lone closing fence some models append, keep everything else.
  return trimBlankEdges(text.replace(/\n?\s*(```|~~~)\s*$/, ''));
}

function trimBlankEdges(code: string): string {
  return code.replace(/^(\s*\n)+/, '').replace(/\s+$/, '');
}

function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** The indentation shared by all non-blank lines. */
export function commonIndent(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return '';
  return lines.map(leadingWhitespace).reduce((a, b) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  });
}

/**
 * Re-indents a rewrite to sit where the original was: models tend to return code flush left.
 * `firstLineStartsMidLine` means the selection began after the indentation of its first line,
 * so that line must not get the indent again.
 */
export function matchIndentation(rewrite: string, original: string, firstLineStartsMidLine = false): string {
  const target = commonIndent(original);
  const current = commonIndent(rewrite);
  if (target === current || target.length <= current.length) {
    return original.endsWith('\n') && !rewrite.endsWith('\n') ? `${rewrite}\n` : rewrite;
  }
  const extra = target.slice(current.length);
  const lines = rewrite.split('\n').map((line, index) => {
    if (line.trim() === '') return line;
    if (index === 0 && firstLineStartsMidLine) return line;
    return extra + line;
  });
  const result = lines.join('\n');
  return original.endsWith('\n') && !result.endsWith('\n') ? `${result}\n` : result;
}
