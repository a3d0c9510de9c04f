// Deterministic fake model replies: the true middle of a hole wrapped in the ways chat models
// get fill-in-the-middle wrong. Each returns undefined when it does not fit the hole (nothing
// to repeat, no suffix to overlap, one line only to re-indent...).
import { opensBlock, type HoleKind } from './holeCutter';
import type { Rng } from './prng';

export const FAILURE_MODES = [
  'clean', // the true middle itself: the control
  'fence-lang', // ```ts … ```
  'fence-bare', // ``` … ```
  'prose-before', // "Here's the completion:" then the code
  'prose-after', // the code, then a sentence about it
  'prose-fence', // a sentence, a fenced block, a sentence: the commonest chat shape
  'repeat-line', // the current line (or, on a fresh line, the line above) written again first
  'repeat-lines', // the last 1–3 lines before the cursor written again first
  'suffix-overlap', // the text after the cursor (closing brackets, the next line or two) written again
  'extra-lines', // the model goes on past the line, or closes the block and goes on
  'indent-shift', // the block at the wrong base indentation
  'indent-tabs', // tabs for spaces or spaces for tabs
] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface HoleParts {
  prefix: string;
  middle: string;
  suffix: string;
  languageId: string;
  kind: HoleKind;
}

export interface FakeReply {
  mode: FailureMode;
  raw: string;
  /** Which variant of the mode, for the report. */
  note: string;
}

const FENCE_TAGS: Record<string, string[]> = {
  typescript: ['typescript', 'ts'],
  javascript: ['javascript', 'js'],
  css: ['css'],
  json: ['json'],
  markdown: ['markdown', 'md'],
  python: ['python', 'py'],
  shellscript: ['bash', 'sh'],
  yaml: ['yaml', 'yml'],
  html: ['html'],
};
const PROSE_BEFORE = ["Here's the completion:", 'Sure! Here is the code that goes at the cursor:', 'The missing code is:', 'Here is the code to insert:'];
const PROSE_AFTER = ['This completes the code at the cursor.', 'Let me know if you need anything else!', 'This fills in the missing part.'];

const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
const isBlank = (line: string): boolean => line.trim() === '';
/** A line that only closes brackets or a tag: `}`, `});`, `</ul>`. */
const CLOSING_LINE = /^\s*([)\]}]+[;,)]*|<\/[\w-]+>)\s*$/;

function fence(middle: string, tag: string): string {
  const ticks = middle.includes('```') ? '````' : '```';
  return `${ticks}${tag}\n${middle}\n${ticks}`;
}

/**
 * The file's indentation step: a tab when most indented lines start with one, else the commonest
 * increase of indentation from one line to the next (2, 3, 4 or 8 spaces; a JSDoc line's one
 * space does not count).
 */
export function indentUnit(text: string): string {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    if (indent.startsWith('\t')) tabs++;
    else if (indent.length > 0) spaces++;
    const width = indent.startsWith('\t') ? previous : indent.length;
    const step = width - previous;
    if ([2, 3, 4, 8].includes(step)) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = width;
  }
  if (tabs > spaces) return '\t';
  let best = 2;
  for (const [step, n] of steps) if (n > (steps.get(best) ?? 0) || (n === (steps.get(best) ?? 0) && step < best)) best = step;
  return ' '.repeat(best);
}

/** Lines from elsewhere in the file (well above or below the hole), re-indented to `indent`. */
function otherLines(parts: HoleParts, indent: string, count: number, random: Rng): string[] | undefined {
  const above = parts.prefix.split('\n').slice(0, -10);
  const below = parts.suffix.split('\n').slice(10);
  const pool = [...above, ...below];
  const starts: number[] = [];
  for (let i = 0; i + count <= pool.length; i++) {
    const run = pool.slice(i, i + count);
    if (run.every((l) => !isBlank(l) && l.length <= 120) && !run.some((l) => parts.middle.includes(l.trim()))) starts.push(i);
  }
  if (starts.length === 0) return undefined;
  const run = pool.slice(random.pick(starts)).slice(0, count);
  const common = Math.min(...run.map((l) => indentOf(l).length));
  return run.map((l) => indent + l.slice(common));
}

export function fakeReply(parts: HoleParts, mode: FailureMode, random: Rng): FakeReply | undefined {
  const { prefix, middle, suffix, languageId, kind } = parts;
  const prefixLines = prefix.split('\n');
  const cursorLine = prefixLines[prefixLines.length - 1];
  const freshLine = isBlank(cursorLine); // the cursor sits after indentation only
  const suffixLines = suffix.split('\n');
  const sameLine = suffixLines[0];
  const middleLines = middle.split('\n');
  const reply = (raw: string, note: string): FakeReply => ({ mode, raw, note });

  switch (mode) {
    case 'clean':
      return reply(middle, 'the true middle');
    case 'fence-lang': {
      const tag = random.pick(FENCE_TAGS[languageId] ?? [languageId]);
      return reply(fence(middle, tag), `\`\`\`${tag}`);
    }
    case 'fence-bare':
      return reply(fence(middle, ''), '```');
    case 'prose-before': {
      const before = random.pick(PROSE_BEFORE);
      return reply(`${before}\n\n${middle}`, before);
    }
    case 'prose-after': {
      const after = random.pick(PROSE_AFTER);
      return reply(`${middle}\n\n${after}`, after);
    }
    case 'prose-fence': {
      const tag = random.next() < 0.5 ? random.pick(FENCE_TAGS[languageId] ?? [languageId]) : '';
      return reply(`${random.pick(PROSE_BEFORE)}\n\n${fence(middle, tag)}\n\n${random.pick(PROSE_AFTER)}`, `prose around \`\`\`${tag}`);
    }
    case 'repeat-line': {
      if (!freshLine) {
        const whole = random.next() < 0.5;
        return reply((whole ? cursorLine : cursorLine.trimStart()) + middle, whole ? 'the current line from column 1' : 'the current line from its first character');
      }
      const above = prefixLines[prefixLines.length - 2];
      if (above === undefined || isBlank(above)) return undefined;
      return reply(`${above}\n${cursorLine}${middle}`, 'the line above, then the indentation');
    }
    case 'repeat-lines': {
      const count = random.int(freshLine ? 2 : 1, 3);
      const repeated = prefixLines.slice(-(count + 1));
      if (repeated.length < count + 1 || repeated.slice(0, -1).every(isBlank)) return undefined;
      return reply(repeated.join('\n') + middle, `${count} line${count > 1 ? 's' : ''} above repeated`);
    }
    case 'suffix-overlap': {
      if (!isBlank(sameLine)) return reply(middle + sameLine, 'the auto-closed brackets after the cursor');
      const count = random.int(1, 2);
      const taken: string[] = [];
      let nonBlank = 0;
      for (const line of suffixLines.slice(1)) {
        if (nonBlank >= count) break;
        taken.push(line);
        if (!isBlank(line)) nonBlank++;
      }
      if (nonBlank === 0) return undefined;
      return reply(`${middle}${sameLine}\n${taken.join('\n')}`, `the next ${nonBlank} line${nonBlank > 1 ? 's' : ''} of the suffix`);
    }
    case 'extra-lines': {
      // Only where the end is unambiguous: a flush-left model (see indent-shift) writes lines
      // that look like lines one level out, so "went on at a lower indentation" alone is not.
      if (!isBlank(sameLine)) return undefined;
      const count = random.int(1, 3);
      if (kind === 'line-rest') {
        // Mid-statement (the text before the cursor opens no block): the line ends the suggestion.
        if (opensBlock(cursorLine, languageId)) return undefined;
        const extra = otherLines(parts, indentOf(cursorLine), count, random);
        if (!extra) return undefined;
        return reply(`${middle}\n${extra.join('\n')}`, `${count} more line${count > 1 ? 's' : ''} after the line`);
      }
      // At the end of a block closed by a line of brackets or a closing tag: the model writes
      // that line too, then keeps going at the enclosing level.
      const next = suffixLines.slice(1).find((l) => !isBlank(l));
      if (next === undefined || !CLOSING_LINE.test(next) || indentOf(next).length >= indentOf(cursorLine).length) return undefined;
      const extra = otherLines(parts, indentOf(next), count, random);
      if (!extra) return undefined;
      return reply(`${middle}\n${next}\n${extra.join('\n')}`, `the closing line, then ${count} more`);
    }
    case 'indent-shift': {
      if (!freshLine) return undefined; // mid-line: the middle's first line has no indentation to get wrong
      const unit = indentUnit(prefix + middle + suffix);
      const variants: [string, () => string][] = [['every line one level deeper', () => middleLines.map((l) => (isBlank(l) ? l : unit + l)).join('\n')]];
      if (cursorLine.length > 0) variants.push(['the first line indented again', () => cursorLine + middle]);
      if (cursorLine.length > 0 && middleLines.length > 1 && middleLines.slice(1).every((l) => isBlank(l) || l.startsWith(cursorLine))) {
        variants.push(['flush left (base indentation dropped)', () => [middleLines[0], ...middleLines.slice(1).map((l) => l.slice(cursorLine.length))].join('\n')]);
      }
      const [note, make] = random.pick(variants);
      return reply(make(), note);
    }
    case 'indent-tabs': {
      const unit = indentUnit(prefix + middle + suffix);
      const swapped = middleLines.map((line, i) => {
        if (i === 0) return line;
        const indent = indentOf(line);
        const swappedIndent = unit === '\t' ? indent.replace(/\t/g, '    ') : indent.split(unit).join('\t');
        return swappedIndent + line.slice(indent.length);
      });
      const raw = swapped.join('\n');
      if (raw === middle) return undefined;
      return reply(raw, unit === '\t' ? 'four spaces for each tab' : `a tab for each ${unit.length} spaces`);
    }
  }
}

/** The control and `count` more modes the PRNG picks among those that fit the hole. */
export function repliesFor(parts: HoleParts, random: Rng, count = 3): FakeReply[] {
  const out: FakeReply[] = [fakeReply(parts, 'clean', random)!];
  for (const mode of random.shuffle(FAILURE_MODES.filter((m) => m !== 'clean'))) {
    if (out.length > count) break;
    const made = fakeReply(parts, mode, random);
    if (made) out.push(made);
  }
  return out;
}
