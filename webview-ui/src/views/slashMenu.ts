// The "/" completion list above the composer, as in VS Code's own chat input: it opens while
// the box holds only "/" and part of a name, filters as the user types, and the keyboard stays
// in the textarea (aria-activedescendant points at the active option). It picks; the composer
// decides what a pick does.
import type { SlashCommandView } from '../../../src/shared/protocol';
import { codicon, el } from '../dom';

/** Built-ins that act at once instead of being written into the box. */
const RUN_AT_ONCE = new Set(['new', 'compare']);

const ICONS: Record<string, string> = {
  explain: 'question',
  fix: 'wrench',
  doc: 'book',
  tests: 'beaker',
  new: 'add',
  compare: 'split-horizontal',
};

export function runsAtOnce(command: SlashCommandView): boolean {
  return command.source === 'builtin' && RUN_AT_ONCE.has(command.name);
}

/** "/compare keep this" → the /compare command and "keep this", when /compare is listed and acts at once. */
export function actionAt(text: string, commands: readonly SlashCommandView[]): { command: SlashCommandView; rest: string } | undefined {
  const match = /^\s*\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  const command = match && commands.find((c) => c.name === match[1] && runsAtOnce(c));
  return command ? { command, rest: (match[2] ?? '').trim() } : undefined;
}

/** Names that start with the query first, then names that contain it; the host's order within each. */
export function filterCommands(commands: readonly SlashCommandView[], query: string): SlashCommandView[] {
  const q = query.toLowerCase();
  const starts = commands.filter((c) => c.name.toLowerCase().startsWith(q));
  const contains = commands.filter((c) => !c.name.toLowerCase().startsWith(q) && c.name.toLowerCase().includes(q));
  return [...starts, ...contains];
}

export class SlashMenu {
  readonly element: HTMLElement;
  private commands: readonly SlashCommandView[] = [];
  private shown: SlashCommandView[] = [];
  private active = 0;

  constructor(
    private readonly doc: Document,
    private readonly textarea: HTMLTextAreaElement,
    private readonly onPick: (command: SlashCommandView) => void,
    private readonly idPrefix = 'ml-slash',
  ) {
    this.element = el(doc, 'div', { className: 'ml-slash-menu', attrs: { role: 'listbox', id: `${idPrefix}-list`, 'aria-label': 'Slash commands' } });
    this.element.hidden = true;
    // The textarea keeps the focus: a press on an option must not blur it (which would close the list).
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
    this.element.addEventListener('click', (event) => {
      const option = (event.target as Element).closest('[role="option"]');
      const index = option ? Number(option.getAttribute('data-index')) : -1;
      if (this.shown[index]) this.onPick(this.shown[index]);
    });
    this.textarea.setAttribute('aria-autocomplete', 'list');
    this.textarea.addEventListener('blur', () => this.close());
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The host's list (built-ins and prompt files). */
  setCommands(commands: readonly SlashCommandView[]): void {
    this.commands = commands;
    if (this.isOpen) this.update();
  }

  get list(): readonly SlashCommandView[] {
    return this.commands;
  }

  /** After the user typed: open, filter or close, from what the box holds. */
  update(): void {
    const match = /^\/(\S*)$/.exec(this.textarea.value);
    const shown = match ? filterCommands(this.commands, match[1]) : [];
    if (shown.length === 0) return this.close();
    const keep = this.shown[this.active]?.name;
    this.shown = shown;
    this.active = Math.max(0, shown.findIndex((c) => c.name === keep));
    this.render();
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.shown = [];
    this.textarea.removeAttribute('aria-activedescendant');
    this.textarea.removeAttribute('aria-controls');
  }

  /** Keys the open list takes from the textarea; true when it took this one. */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen || event.altKey || event.ctrlKey || event.metaKey) return false;
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      this.active = (this.active + step + this.shown.length) % this.shown.length;
      this.markActive();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      this.onPick(this.shown[this.active]);
    } else if (event.key === 'Escape') {
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  private render(): void {
    this.element.replaceChildren(
      ...this.shown.map((command, index) =>
        el(
          this.doc,
          'div',
          {
            className: 'ml-slash-option',
            attrs: { role: 'option', id: `${this.idPrefix}-${index}`, 'data-index': String(index), 'aria-selected': 'false', title: command.description },
          },
          [
            codicon(this.doc, command.source === 'builtin' ? (ICONS[command.name] ?? 'symbol-event') : 'note'),
            el(this.doc, 'span', { className: 'ml-slash-name', text: `/${command.name}` }),
            el(this.doc, 'span', { className: 'ml-slash-description', text: command.description }),
          ],
        ),
      ),
    );
    this.element.hidden = false;
    this.textarea.setAttribute('aria-controls', this.element.id);
    this.markActive();
  }

  private markActive(): void {
    const options = Array.from(this.element.children);
    options.forEach((option, index) => {
      option.setAttribute('aria-selected', String(index === this.active));
      option.classList.toggle('is-active', index === this.active);
    });
    const active = options[this.active] as HTMLElement | undefined;
    if (!active) return;
    this.textarea.setAttribute('aria-activedescendant', active.id);
    // jsdom has no scrollIntoView; browsers keep the active option in sight.
    if (typeof active.scrollIntoView === 'function') active.scrollIntoView({ block: 'nearest' });
  }
}
