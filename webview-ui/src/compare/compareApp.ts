// The comparison view: one column per model side by side; when the view is too narrow for
// that, the columns become tabs. Stop All, a Stop per column, and "Use this answer".
import type { CompareToHost, ComparisonView, HostToCompare } from '../../../src/shared/compareProtocol';
import type { Clock } from '../clock';
import { button, codicon, el } from '../dom';
import { installLogDelegation } from '../logDelegation';
import type { RendererFactory } from '../markdownBody';
import { CompareColumn } from './compareColumn';

/** Below this width per column, the columns stack as tabs. */
const MIN_COLUMN_PX = 260;

export interface CompareAppOptions {
  root: HTMLElement;
  post(message: CompareToHost): void;
  clock: Clock;
  createRenderer: RendererFactory;
  ResizeObserver?: typeof ResizeObserver;
}

export class CompareApp {
  private readonly doc: Document;
  private columns: CompareColumn[] = [];
  private view: ComparisonView | undefined;
  private selected = 0;
  private readonly prompt: HTMLElement;
  private readonly stopAll: HTMLButtonElement;
  private readonly tabs: HTMLElement;
  private readonly grid: HTMLElement;

  constructor(private readonly options: CompareAppOptions) {
    const doc = options.root.ownerDocument;
    this.doc = doc;
    this.prompt = el(doc, 'p', { className: 'mlc-prompt' });
    this.stopAll = button(doc, { label: 'Stop all answers', icon: 'debug-stop', text: 'Stop All', className: 'mlc-stop-all', onClick: () => options.post({ type: 'stop' }) });
    this.tabs = el(doc, 'div', { className: 'mlc-tabs', attrs: { role: 'tablist', 'aria-label': 'Answers' } });
    this.grid = el(doc, 'main', { className: 'mlc-columns', attrs: { 'aria-label': 'Answers' } });
    options.root.replaceChildren(
      el(doc, 'header', { className: 'mlc-top' }, [codicon(doc, 'split-horizontal'), el(doc, 'h1', { className: 'mlc-title', text: 'Compare Models' }), this.prompt, this.stopAll]),
      this.tabs,
      this.grid,
    );
    installLogDelegation(this.grid, (message) => (message.type === 'codeBlock' || message.type === 'openLink') && options.post(message), options.clock);
    this.tabs.addEventListener('keydown', (event) => this.onTabKey(event));
    if (options.ResizeObserver) new options.ResizeObserver(() => this.layout()).observe(options.root);
  }

  start(onMessage: (listener: (message: HostToCompare) => void) => void): void {
    onMessage((message) => this.handle(message));
    this.options.post({ type: 'ready' });
  }

  handle(message: HostToCompare): void {
    switch (message.type) {
      case 'init':
        this.init(message.comparison);
        break;
      case 'delta':
        this.columns[message.column]?.append(message.text);
        break;
      case 'column':
        this.columns[message.column]?.update(message.state, this.view?.canChoose ?? false);
        this.updateStopAll();
        break;
      case 'chosen':
        if (this.view) this.view.chosen = message.column;
        this.columns.forEach((c) => c.setChosen(c.index === message.column, this.view?.canChoose ?? false));
        break;
    }
  }

  private init(view: ComparisonView): void {
    this.view = view;
    this.prompt.textContent = view.prompt;
    this.prompt.title = view.prompt;
    const actions = { stop: (column: number) => this.options.post({ type: 'stop', column }), use: (column: number) => this.options.post({ type: 'use', column }) };
    this.columns = view.columns.map((column, index) => new CompareColumn(this.doc, index, column, this.options.createRenderer, actions, view.canChoose));
    this.grid.style.setProperty('--mlc-columns', String(this.columns.length));
    this.grid.replaceChildren(...this.columns.map((c) => c.element));
    this.tabs.replaceChildren(...this.columns.map((c) => c.tab));
    this.columns.forEach((c) => {
      c.tab.addEventListener('click', () => this.select(c.index));
      if (view.chosen !== undefined) c.setChosen(c.index === view.chosen, view.canChoose);
    });
    this.select(view.chosen ?? 0);
    this.updateStopAll();
    this.layout();
  }

  private select(index: number): void {
    this.selected = index;
    for (const column of this.columns) {
      const on = column.index === index;
      column.tab.setAttribute('aria-selected', String(on));
      column.tab.tabIndex = on ? 0 : -1;
      column.element.classList.toggle('is-selected', on);
    }
  }

  /** Arrow keys move between tabs, as in any tab list. */
  private onTabKey(event: KeyboardEvent): void {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step || this.columns.length === 0) return;
    event.preventDefault();
    const next = (this.selected + step + this.columns.length) % this.columns.length;
    this.select(next);
    this.columns[next].tab.focus();
  }

  /** Side by side when every column gets a readable width, else tabs. */
  private layout(): void {
    const width = this.options.root.clientWidth;
    const narrow = this.columns.length > 0 && width > 0 && width / this.columns.length < MIN_COLUMN_PX;
    this.options.root.classList.toggle('is-narrow', narrow);
    // Side by side, every column is a region of its own; as tabs, they are the tab panels.
    for (const column of this.columns) column.element.setAttribute('role', narrow ? 'tabpanel' : 'region');
    this.tabs.hidden = !narrow;
  }

  private updateStopAll(): void {
    this.stopAll.hidden = !this.columns.some((c) => c.running);
  }
}
