// Streams model output into a container as rendered, sanitised markdown.
//
// Cost stays flat as the answer grows: IncrementalLexer only re-lexes the unsettled tail,
// settled blocks are rendered once and their DOM nodes are never touched again, and only the
// open blocks at the end are re-rendered, at most once per animation frame (and less often
// while the open tail is large, see OPEN_TAIL_THROTTLE_CHARS).
//
// Nothing here throws on model text: lexing (markdown.ts) and each block (blockRenderer.ts)
// have their own error boundaries, and if a render still fails, the answer is shown as plain
// text rather than leaving the panel half updated.
import { renderBlock } from './blockRenderer';
import { IncrementalLexer, type PositionedToken } from './incrementalLexer';
import { MAX_LEX_CHARS } from './guards';
import { lexMarkdown, type Links, type Token } from './markdown';
import { MAX_PLAIN_CHARS, createPlainBlock, setPlainText, setPlainTextStart } from './plainBlock';

export { getCodeBlockSource, type CodeBlockSource } from './codeBlock';
export { safeLinkUrl } from './sanitize';

export interface RendererOptions {
  /** Defaults to globalThis.document. */
  document?: Document;
  /** Defaults to requestAnimationFrame; tests pass a manual scheduler. */
  scheduleFrame?: (cb: () => void) => void;
  /** Milliseconds, for the large-tail throttle; defaults to performance.now. */
  now?: () => number;
}

/**
 * While the open (unsettled) tail is longer than this, it is re-rendered at most every
 * OPEN_TAIL_INTERVAL_MS, and never sooner than RENDER_COST_FACTOR times the last render's
 * cost after it: re-lexing and re-rendering a large open block on every frame would make a
 * stream cost quadratic time (and a single hostile block can be megabytes).
 */
export const OPEN_TAIL_THROTTLE_CHARS = 16_000;
export const OPEN_TAIL_INTERVAL_MS = 100;
const RENDER_COST_FACTOR = 4;

export interface RendererStats {
  /** DOM write passes (at most one per frame, plus explicit flushes). */
  renders: number;
  /** Blocks turned into DOM (each settled block once, open blocks when they change). */
  blocksRendered: number;
  /** Times finish() found the incremental result differing from a one-shot lex and fixed it. */
  repairs: number;
  /** Frames that left a large open tail for later (see OPEN_TAIL_THROTTLE_CHARS). */
  deferred: number;
}

/** An answer's text past MAX_LEX_CHARS, kept as it arrives and shown as plain text. */
interface Overflow {
  chunks: string[];
  length: number;
  /** Its first MAX_PLAIN_CHARS characters (all that is shown). */
  start: string;
  block: HTMLElement | undefined;
}

interface BlockRecord {
  start: number;
  token: Token;
  /** The link definitions the block was inline-lexed with, and a comparable key for them. */
  links: Links;
  linksKey: string;
  codeStart: number;
  codeCount: number;
  nodes: Node[];
}

export class StreamingMarkdownRenderer {
  private readonly doc: Document;
  private readonly scheduleFrame: (cb: () => void) => void;
  private readonly now: () => number;
  private readonly lexer = new IncrementalLexer();
  private frozen: BlockRecord[] = [];
  private open: BlockRecord[] = [];
  private frozenCodeCount = 0;
  private dirty = false;
  private frameRequested = false;
  /** Set once some block was lexed from a mid-document offset; finish() then cross-checks. */
  private needsVerification = false;
  /** A frame may not render before this time (the large-tail throttle). */
  private notBefore = -Infinity;
  /** Set if a render failed: from then on the answer is shown as plain text. */
  private fallback: HTMLElement | undefined;
  /**
   * Text past MAX_LEX_CHARS, from the last line start before it, as lexMarkdown treats a whole
   * text: never lexed, not even joined (a stream of 100 MB would otherwise cost a pass over
   * all of it on every render).
   */
  private overflow: Overflow | undefined;
  /** lexer.length when the lexed blocks were last rendered. */
  private renderedLength = -1;
  private readonly counters: RendererStats = { renders: 0, blocksRendered: 0, repairs: 0, deferred: 0 };

  constructor(private readonly container: HTMLElement, options: RendererOptions = {}) {
    this.doc = options.document ?? container.ownerDocument ?? globalThis.document;
    this.scheduleFrame = options.scheduleFrame ?? defaultScheduler(this.doc);
    this.now = options.now ?? (() => performance.now());
  }

  /** Everything appended so far (line endings normalised to '\n'). */
  get text(): string {
    return this.overflow ? this.lexer.text + this.overflow.chunks.join('') : this.lexer.text;
  }

  get stats(): Readonly<RendererStats> {
    return { ...this.counters };
  }

  /** Buffers `text`; the DOM is updated on the next animation frame (or flush()). */
  append(text: string): void {
    if (!text) return;
    if (this.overflow || this.lexer.length + text.length > MAX_LEX_CHARS) this.appendPastLimit(text);
    else this.lexer.append(text);
    this.dirty = true;
    this.requestFrame();
  }

  /** Applies pending text now. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.render();
  }

  /** Flushes and settles the answer: the final DOM equals renderMarkdownToElement(text). */
  finish(): void {
    this.flush();
    if (!this.needsVerification || this.fallback) return;
    try {
      this.verifyAgainstOneShot();
    } catch {
      this.showAsPlainText();
    }
  }

  /** Replaces everything with `text`, rendered in one go (e.g. a saved message). */
  setText(text: string): void {
    for (const record of [...this.frozen, ...this.open]) removeNodes(record.nodes);
    this.fallback?.remove();
    this.fallback = undefined;
    this.overflow?.block?.remove();
    this.overflow = undefined;
    this.renderedLength = -1;
    this.frozen = [];
    this.open = [];
    this.frozenCodeCount = 0;
    this.needsVerification = false;
    this.notBefore = -Infinity;
    this.lexer.reset();
    this.lexer.append(text);
    this.dirty = true;
    this.flush(); // one lex from offset 0 is a one-shot lex: nothing to verify
  }

  /** The text from the last line start before MAX_LEX_CHARS on goes to the overflow. */
  private appendPastLimit(text: string): void {
    let chunk = this.lexer.normalise(text);
    if (!this.overflow) {
      const room = Math.max(0, MAX_LEX_CHARS - this.lexer.length);
      this.lexer.appendNormalised(chunk.slice(0, room));
      chunk = chunk.slice(room);
      const whole = this.lexer.text;
      const cut = whole.lastIndexOf('\n', MAX_LEX_CHARS - 1) + 1 || MAX_LEX_CHARS;
      this.overflow = { chunks: [], length: 0, start: '', block: undefined };
      this.addToOverflow(this.lexer.truncate(cut));
    }
    this.addToOverflow(chunk);
  }

  private addToOverflow(text: string): void {
    const overflow = this.overflow;
    if (!overflow || !text) return;
    overflow.chunks.push(text);
    overflow.length += text.length;
    if (overflow.start.length < MAX_PLAIN_CHARS) overflow.start += text.slice(0, MAX_PLAIN_CHARS - overflow.start.length);
  }

  private renderOverflow(): void {
    const overflow = this.overflow;
    if (!overflow || overflow.length === 0) return;
    if (!overflow.block) {
      overflow.block = createPlainBlock(this.doc, '');
      this.container.append(overflow.block);
    }
    setPlainTextStart(overflow.block, overflow.start, overflow.length);
  }

  /** Where new blocks go: before the overflow's plain text, which stays last. */
  private insertBlocks(nodes: DocumentFragment): void {
    this.container.insertBefore(nodes, this.overflow?.block ?? null);
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.scheduleFrame(() => {
      this.frameRequested = false;
      if (!this.dirty) return;
      if (this.now() < this.notBefore) {
        this.counters.deferred++;
        this.requestFrame();
        return;
      }
      this.flush();
    });
  }

  private render(): void {
    this.counters.renders++;
    if (this.fallback) {
      setPlainText(this.fallback, this.text);
      return;
    }
    const started = this.now();
    try {
      // Once the answer is past MAX_LEX_CHARS, new text goes to the overflow only.
      if (this.lexer.length !== this.renderedLength) {
        this.renderIncrementally();
        this.renderedLength = this.lexer.length;
      }
      this.renderOverflow();
    } catch {
      this.showAsPlainText();
      return;
    }
    const tail = this.lexer.length - this.lexer.frozenLength;
    const cost = this.now() - started;
    this.notBefore = tail > OPEN_TAIL_THROTTLE_CHARS ? started + Math.max(OPEN_TAIL_INTERVAL_MS, cost * RENDER_COST_FACTOR) : -Infinity;
  }

  /** The last resort: the whole answer as plain text (and so it stays). */
  private showAsPlainText(): void {
    for (const record of [...this.frozen, ...this.open]) removeNodes(record.nodes);
    this.frozen = [];
    this.open = [];
    this.overflow?.block?.remove();
    this.fallback ??= createPlainBlock(this.doc, '');
    setPlainText(this.fallback, this.text);
    this.container.append(this.fallback);
  }

  private renderIncrementally(): void {
    if (this.lexer.frozenLength > 0) this.needsVerification = true;
    const { frozen, open, links } = this.lexer.update();
    const linksKey = keyOfLinks(links);
    const tokens = frozen.concat(open);

    // The tail was lexed from where the previous open blocks start, so unchanged open blocks
    // come first, in order: keep their nodes, rebuild from the first one that changed.
    const previous = this.open;
    const next: BlockRecord[] = [];
    let codeIndex = this.frozenCodeCount;
    let i = 0;
    for (; i < tokens.length && i < previous.length; i++) {
      const record = previous[i];
      if (!isSameBlock(record, tokens[i], codeIndex, linksKey)) break;
      next.push(record);
      codeIndex += record.codeCount;
    }
    // A block about to be rebuilt may hold the keyboard focus (a code block's Copy button while
    // the block streams): note which control, to give the focus to its successor.
    const focus = this.focusWithin(previous, i);
    for (let j = i; j < previous.length; j++) removeNodes(previous[j].nodes);
    // One fragment, not append(...nodes): a spread of very many nodes overflows the stack.
    const added = this.doc.createDocumentFragment();
    for (; i < tokens.length; i++) {
      const record = this.renderRecord(tokens[i], codeIndex, links, linksKey);
      codeIndex += record.codeCount;
      next.push(record);
      appendAll(added, record.nodes);
    }
    if (added.firstChild) this.insertBlocks(added);
    if (focus) refocus(next[focus.record]?.nodes ?? [], focus.label);

    for (const record of next.slice(0, frozen.length)) {
      this.frozen.push(record);
      this.frozenCodeCount += record.codeCount;
    }
    this.open = next.slice(frozen.length);
  }

  /** The record (from `from` on) holding the focused control, and the control's accessible name. */
  private focusWithin(records: readonly BlockRecord[], from: number): { record: number; label: string } | undefined {
    const active = this.doc.activeElement;
    const label = active?.getAttribute('aria-label');
    if (!active || !label) return undefined;
    for (let r = from; r < records.length; r++) {
      if (records[r].nodes.some((node) => node === active || node.contains(active))) return { record: r, label };
    }
    return undefined;
  }

  private renderRecord({ token, start }: PositionedToken, codeStart: number, links: Links, linksKey: string): BlockRecord {
    this.counters.blocksRendered++;
    const { nodes, codeCount } = renderBlock(token, this.doc, codeStart);
    return { start, token, links, linksKey, codeStart, codeCount, nodes };
  }

  /**
   * Safety net, O(text) once per answer: lex the whole text in one go and compare. The
   * incremental path is designed to agree (tests assert `repairs === 0`); the one case it
   * cannot handle by construction is a reference definition ([x]: url) arriving after a
   * settled block that uses it, and that block is re-rendered here.
   */
  private verifyAgainstOneShot(): void {
    this.needsVerification = false;
    const { tokens, links } = lexMarkdown(this.lexer.text);
    const linksKey = keyOfLinks(links);
    const records = [...this.frozen, ...this.open];

    let matching = 0;
    while (
      matching < records.length &&
      matching < tokens.length &&
      isSameToken(records[matching].token, tokens[matching])
    ) {
      matching++;
    }

    const changedKeys = new Map<Links, string[]>();
    for (let i = 0; i < matching; i++) {
      const record = records[i];
      if (record.linksKey === linksKey || record.nodes.length === 0) continue;
      let keys = changedKeys.get(record.links);
      if (!keys) changedKeys.set(record.links, (keys = changedLinkKeys(record.links, links)));
      if (mentionsAnyLabel(record.token.raw, keys)) {
        records[i] = this.replaceInPlace(record, tokens[i], links, linksKey);
      }
    }

    if (matching < records.length || matching < tokens.length) {
      this.counters.repairs++;
      for (const record of records.slice(matching)) removeNodes(record.nodes);
      records.length = matching;
      let codeIndex = matching > 0 ? records[matching - 1].codeStart + records[matching - 1].codeCount : 0;
      let start = matching > 0 ? records[matching - 1].start + records[matching - 1].token.raw.length : 0;
      const added = this.doc.createDocumentFragment();
      for (const token of tokens.slice(matching)) {
        const record = this.renderRecord({ token, start }, codeIndex, links, linksKey);
        records.push(record);
        appendAll(added, record.nodes);
        codeIndex += record.codeCount;
        start += token.raw.length;
      }
      this.insertBlocks(added);
      // Start over from a single lex of the whole text, keeping these blocks as open ones
      // (a later append re-lexes once and reuses them where they still match).
      const text = this.lexer.text;
      this.lexer.reset();
      this.lexer.append(text);
      this.frozen = [];
      this.frozenCodeCount = 0;
      this.open = records;
      return;
    }
    this.frozen = records.slice(0, this.frozen.length);
    this.open = records.slice(this.frozen.length);
  }

  private replaceInPlace(record: BlockRecord, token: Token, links: Links, linksKey: string): BlockRecord {
    const replacement = this.renderRecord({ token, start: record.start }, record.codeStart, links, linksKey);
    const anchor = record.nodes[0];
    for (const node of replacement.nodes) this.container.insertBefore(node, anchor);
    removeNodes(record.nodes);
    return replacement;
  }
}

/** One-shot render of `text` into `container` (replacing its content): the reference output. */
export function renderMarkdownToElement(text: string, container: HTMLElement, doc?: Document): void {
  const document = doc ?? container.ownerDocument ?? globalThis.document;
  const fragment = document.createDocumentFragment();
  try {
    const { tokens } = lexMarkdown(text);
    let codeIndex = 0;
    for (const token of tokens) {
      const block = renderBlock(token, document, codeIndex);
      appendAll(fragment, block.nodes);
      codeIndex += block.codeCount;
    }
  } catch {
    fragment.replaceChildren(createPlainBlock(document, text));
  }
  container.replaceChildren(fragment);
}

function appendAll(parent: ParentNode, nodes: readonly Node[]): void {
  for (const node of nodes) parent.appendChild(node);
}

function defaultScheduler(doc: Document): (cb: () => void) => void {
  const view = doc.defaultView;
  if (view?.requestAnimationFrame) return (cb) => view.requestAnimationFrame(() => cb());
  return (cb) => setTimeout(cb, 16);
}

function isSameBlock(record: BlockRecord, { token, start }: PositionedToken, codeStart: number, linksKey: string): boolean {
  return record.start === start && record.codeStart === codeStart && record.linksKey === linksKey && isSameToken(record.token, token);
}

/**
 * Same source does not always mean same token: marked may build a paragraph by gluing a
 * following block onto it, with a different `text` than reading the lines directly.
 */
function isSameToken(a: Token, b: Token): boolean {
  return a.type === b.type && a.raw === b.raw && (a as { text?: unknown }).text === (b as { text?: unknown }).text;
}

function removeNodes(nodes: readonly Node[]): void {
  for (const node of nodes) (node as ChildNode).remove();
}

function keyOfLinks(links: Links): string {
  for (const _ in links) return JSON.stringify(links);
  return '';
}

function changedLinkKeys(before: Links, after: Links): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter(
    (key) => before[key]?.href !== after[key]?.href || before[key]?.title !== after[key]?.title,
  );
}

/** Whether `raw` may use one of the labels (normalised as marked does); false positives are fine. */
function mentionsAnyLabel(raw: string, labels: string[]): boolean {
  if (labels.length === 0 || !raw.includes('[')) return false;
  const text = raw.replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
  return labels.some((label) => text.includes(label));
}

/** Focuses the control named `label` among the nodes of a rebuilt block, if it is there. */
function refocus(nodes: readonly Node[], label: string): void {
  for (const node of nodes) {
    if (node.nodeType !== 1) continue;
    const element = node as HTMLElement;
    const candidates = [element, ...Array.from(element.querySelectorAll<HTMLElement>('[aria-label]'))];
    const match = candidates.find((candidate) => candidate.getAttribute('aria-label') === label);
    if (match) {
      match.focus();
      return;
    }
  }
}
