// Streams model output into a container as rendered, sanitised markdown.
//
// Cost stays flat as the answer grows: IncrementalLexer only re-lexes the unsettled tail,
// settled blocks are rendered once and their DOM nodes are never touched again, and only the
// open blocks at the end are re-rendered, at most once per animation frame.
import { renderBlock } from './blockRenderer';
import { IncrementalLexer, type PositionedToken } from './incrementalLexer';
import { lexMarkdown, type Links, type Token } from './markdown';

export { getCodeBlockSource, type CodeBlockSource } from './codeBlock';
export { safeLinkUrl } from './sanitize';

export interface RendererOptions {
  /** Defaults to globalThis.document. */
  document?: Document;
  /** Defaults to requestAnimationFrame; tests pass a manual scheduler. */
  scheduleFrame?: (cb: () => void) => void;
}

export interface RendererStats {
  /** DOM write passes (at most one per frame, plus explicit flushes). */
  renders: number;
  /** Blocks turned into DOM (each settled block once, open blocks when they change). */
  blocksRendered: number;
  /** Times finish() found the incremental result differing from a one-shot lex and fixed it. */
  repairs: number;
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
  private readonly lexer = new IncrementalLexer();
  private frozen: BlockRecord[] = [];
  private open: BlockRecord[] = [];
  private frozenCodeCount = 0;
  private dirty = false;
  private frameRequested = false;
  /** Set once some block was lexed from a mid-document offset; finish() then cross-checks. */
  private needsVerification = false;
  private readonly counters: RendererStats = { renders: 0, blocksRendered: 0, repairs: 0 };

  constructor(private readonly container: HTMLElement, options: RendererOptions = {}) {
    this.doc = options.document ?? container.ownerDocument ?? globalThis.document;
    this.scheduleFrame = options.scheduleFrame ?? defaultScheduler(this.doc);
  }

  /** Everything appended so far (line endings normalised to '\n'). */
  get text(): string {
    return this.lexer.text;
  }

  get stats(): Readonly<RendererStats> {
    return { ...this.counters };
  }

  /** Buffers `text`; the DOM is updated on the next animation frame (or flush()). */
  append(text: string): void {
    if (!text) return;
    this.lexer.append(text);
    this.dirty = true;
    if (!this.frameRequested) {
      this.frameRequested = true;
      this.scheduleFrame(() => {
        this.frameRequested = false;
        this.flush();
      });
    }
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
    if (this.needsVerification) this.verifyAgainstOneShot();
  }

  /** Replaces everything with `text`, rendered in one go (e.g. a saved message). */
  setText(text: string): void {
    for (const record of [...this.frozen, ...this.open]) removeNodes(record.nodes);
    this.frozen = [];
    this.open = [];
    this.frozenCodeCount = 0;
    this.needsVerification = false;
    this.lexer.reset();
    this.lexer.append(text);
    this.dirty = true;
    this.flush(); // one lex from offset 0 is a one-shot lex: nothing to verify
  }

  private render(): void {
    this.counters.renders++;
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
    for (let j = i; j < previous.length; j++) removeNodes(previous[j].nodes);
    const added: Node[] = [];
    for (; i < tokens.length; i++) {
      const record = this.renderRecord(tokens[i], codeIndex, links, linksKey);
      codeIndex += record.codeCount;
      next.push(record);
      added.push(...record.nodes);
    }
    if (added.length > 0) this.container.append(...added);

    for (const record of next.slice(0, frozen.length)) {
      this.frozen.push(record);
      this.frozenCodeCount += record.codeCount;
    }
    this.open = next.slice(frozen.length);
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
      const added: Node[] = [];
      for (const token of tokens.slice(matching)) {
        const record = this.renderRecord({ token, start }, codeIndex, links, linksKey);
        records.push(record);
        added.push(...record.nodes);
        codeIndex += record.codeCount;
        start += token.raw.length;
      }
      this.container.append(...added);
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
  const { tokens } = lexMarkdown(text);
  const nodes: Node[] = [];
  let codeIndex = 0;
  for (const token of tokens) {
    const block = renderBlock(token, document, codeIndex);
    nodes.push(...block.nodes);
    codeIndex += block.codeCount;
  }
  container.replaceChildren(...nodes);
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
