// What an Agent-mode answer adds to a message: the tools it used, as compact lines under one
// collapsible summary, and the review list of the files it proposes to change.
import type { EditFileView, ReviewAction, ToolLineView } from '../../../src/shared/protocol';
import { button, codicon, el } from '../dom';

const STATE_ICON: Record<ToolLineView['state'], string> = { running: 'loading codicon-modifier-spin', done: 'check', error: 'warning' };

export class ToolLines {
  readonly element: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly lines = new Map<string, HTMLLIElement>();
  private readonly tools = new Map<string, ToolLineView>();

  constructor(private readonly doc: Document) {
    this.summary = el(doc, 'summary', { className: 'ml-tools-summary' });
    this.list = el(doc, 'ul', { className: 'ml-tools-list' });
    this.element = el(doc, 'details', { className: 'ml-tools' }, [this.summary, this.list]);
    this.element.hidden = true;
  }

  update(tool: ToolLineView): void {
    this.tools.set(tool.callId, tool);
    let line = this.lines.get(tool.callId);
    if (!line) {
      line = el(this.doc, 'li', { className: 'ml-tool' });
      this.lines.set(tool.callId, line);
      this.list.append(line);
    }
    line.className = `ml-tool is-${tool.state}`;
    // The call and the start of its result, for whoever wants to check what the agent saw.
    if (tool.args !== undefined || tool.result !== undefined) line.title = [`${tool.name}(${tool.args ?? ''})`, tool.result ?? ''].join('\n\n').trim();
    line.replaceChildren(codicon(this.doc, STATE_ICON[tool.state]), el(this.doc, 'span', { className: 'ml-tool-text', text: tool.summary }));
    this.element.hidden = false;
    this.renderSummary();
  }

  private renderSummary(): void {
    const all = [...this.tools.values()];
    const running = all.find((t) => t.state === 'running');
    // While a tool runs, the summary says what it is doing; afterwards, how much was done.
    const text = running ? `${running.summary}…` : `Used ${all.length} tool${all.length === 1 ? '' : 's'}`;
    this.summary.replaceChildren(codicon(this.doc, running ? 'loading codicon-modifier-spin' : 'tools'), el(this.doc, 'span', { text }));
  }
}

export type ReviewHandler = (action: ReviewAction, path?: string) => void;

/** The files an answer proposes to change: open each diff, accept or reject each or all, undo. */
export class EditReview {
  readonly element: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly onAction: ReviewHandler,
  ) {
    this.element = el(doc, 'section', { className: 'ml-review', attrs: { 'aria-label': 'Proposed changes' } });
    this.element.hidden = true;
  }

  set(edits: readonly EditFileView[], undoable: boolean): void {
    const { doc } = this;
    this.element.hidden = edits.length === 0;
    const pending = edits.filter((e) => e.state === 'pending').length;
    const header = el(doc, 'div', { className: 'ml-review-header' }, [
      el(doc, 'span', { className: 'ml-review-title', text: `Proposed changes: ${edits.length} file${edits.length === 1 ? '' : 's'}` }),
      pending > 0 && button(doc, { label: 'Accept all changes', text: 'Accept All', icon: 'check-all', className: 'ml-review-accept-all', onClick: () => this.onAction('acceptAll') }),
      pending > 0 && button(doc, { label: 'Reject all changes', text: 'Reject All', icon: 'close-all', onClick: () => this.onAction('rejectAll') }),
      undoable && button(doc, { label: 'Undo the accepted changes', text: 'Undo', icon: 'discard', onClick: () => this.onAction('undo') }),
    ]);
    const rows = edits.map((edit) => this.row(edit));
    this.element.replaceChildren(header, el(doc, 'ul', { className: 'ml-review-list' }, rows));
  }

  private row(edit: EditFileView): HTMLLIElement {
    const { doc } = this;
    const open = el(doc, 'button', { className: 'ml-review-file', attrs: { type: 'button', title: `Open the diff of ${edit.path}`, 'aria-label': `${edit.path}: open the diff` } }, [
      codicon(doc, edit.isNew ? 'new-file' : 'diff'),
      el(doc, 'span', { className: 'ml-review-path', text: edit.path }),
    ]);
    open.addEventListener('click', () => this.onAction('openDiff', edit.path));
    const counts = el(doc, 'span', { className: 'ml-review-counts', attrs: { 'aria-label': `${edit.added} lines added, ${edit.removed} removed` } }, [
      el(doc, 'span', { className: 'ml-added', text: `+${edit.added}` }),
      el(doc, 'span', { className: 'ml-removed', text: `−${edit.removed}` }),
    ]);
    const actions =
      edit.state === 'pending'
        ? [
            button(doc, { label: `Accept the change to ${edit.path}`, icon: 'check', onClick: () => this.onAction('accept', edit.path) }),
            button(doc, { label: `Reject the change to ${edit.path}`, icon: 'close', onClick: () => this.onAction('reject', edit.path) }),
          ]
        : [el(doc, 'span', { className: `ml-review-state is-${edit.state}`, text: edit.state === 'accepted' ? 'Accepted' : 'Rejected' })];
    return el(doc, 'li', { className: `ml-review-row is-${edit.state}` }, [open, counts, ...actions]);
  }
}

/** "May the agent read .env?", inside the answer, with the path shown; answered once. */
export function approvalQuestion(doc: Document, path: string, onAnswer: (allow: boolean) => void): HTMLElement {
  const text = el(doc, 'span', { className: 'ml-approval-text' }, [
    'The agent wants to read ',
    el(doc, 'code', { text: path }),
    ', which may hold secrets. Its content would be sent to the model.',
  ]);
  const box = el(doc, 'div', { className: 'ml-approval', attrs: { role: 'group', 'aria-label': `Allow the agent to read ${path}?` } }, [codicon(doc, 'shield'), text]);
  const answer = (allow: boolean) => {
    buttons.remove();
    box.append(el(doc, 'span', { className: 'ml-approval-answer', text: allow ? 'Allowed once.' : 'Not allowed.' }));
    onAnswer(allow);
  };
  const buttons = el(doc, 'div', { className: 'ml-approval-buttons' }, [
    button(doc, { label: `Allow reading ${path} once`, text: 'Allow Once', icon: 'check', className: 'ml-approval-allow', onClick: () => answer(true) }),
    button(doc, { label: `Do not allow reading ${path}`, text: 'Deny', icon: 'close', onClick: () => answer(false) }),
  ]);
  box.append(buttons);
  return box;
}
