// The project rules in effect, above the composer: a chip that names them and opens into a list
// where each file can be opened or switched off (as VS Code's chat shows its instructions files).
import type { RuleView } from '../../../src/shared/protocol';
import { codicon, el } from '../dom';

export interface RulesChipActions {
  open(path: string): void;
  toggle(path: string, enabled: boolean): void;
}

export class RulesChip {
  readonly element: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly actions: RulesChipActions,
  ) {
    this.summary = el(doc, 'summary', { className: 'ml-rules-summary' });
    this.list = el(doc, 'ul', { className: 'ml-rules-list', attrs: { 'aria-label': 'Project rule files' } });
    this.element = el(doc, 'details', { className: 'ml-rules' }, [this.summary, this.list]);
    this.element.hidden = true;
  }

  set(rules: readonly RuleView[]): void {
    this.element.hidden = rules.length === 0;
    const inEffect = rules.filter((r) => r.enabled && r.applies);
    const names = inEffect.map((r) => r.path.split('/').pop() ?? r.path);
    const problems = rules.filter((r) => r.problem).length;
    this.summary.replaceChildren(codicon(this.doc, 'law'), el(this.doc, 'span', { className: 'ml-chip-label', text: inEffect.length ? `Rules: ${names.join(', ')}` : 'Rules: none apply' }));
    if (problems) this.summary.append(codicon(this.doc, 'warning'));
    this.summary.setAttribute('aria-label', `Project rules: ${inEffect.length} of ${rules.length} in effect${problems ? `, ${problems} with a problem` : ''}. Show them`);
    this.list.replaceChildren(...rules.map((rule) => this.row(rule)));
  }

  private row(rule: RuleView): HTMLElement {
    const { doc } = this;
    const id = `ml-rule-${rule.path.replace(/[^\w-]/g, '_')}`;
    const box = el(doc, 'input', { attrs: { type: 'checkbox', id, 'aria-label': `Follow ${rule.path}` } });
    box.checked = rule.enabled;
    box.addEventListener('change', () => this.actions.toggle(rule.path, box.checked));
    const open = el(doc, 'button', { className: 'ml-rule-open', text: rule.path, attrs: { type: 'button', title: `Open ${rule.path}`, 'aria-label': `Open ${rule.path}` } });
    open.addEventListener('click', () => this.actions.open(rule.path));
    const note = !rule.enabled ? 'off' : rule.applies ? (rule.applyTo ? `applies: ${rule.applyTo}` : 'always') : `not for this file (${rule.applyTo ?? ''})`;
    return el(doc, 'li', { className: `ml-rule${rule.enabled && rule.applies ? ' is-applied' : ''}` }, [
      box,
      open,
      el(doc, 'span', { className: 'ml-rule-note', text: note }),
      rule.problem ? el(doc, 'span', { className: 'ml-rule-problem' }, [codicon(doc, 'warning'), el(doc, 'span', { text: rule.problem })]) : null,
    ]);
  }
}
