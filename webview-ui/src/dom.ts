// A tiny element helper: every node is built with textContent and attributes, never from
// HTML strings, so user and model text can't turn into markup here.

export type Child = Node | string | null | undefined | false;

export interface ElementProps {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: ElementProps = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.attrs) for (const [name, value] of Object.entries(props.attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** A decorative codicon; the button or text around it carries the accessible name. */
export function codicon(doc: Document, name: string): HTMLSpanElement {
  return el(doc, 'span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

export interface ButtonOptions {
  label: string;
  icon?: string;
  /** Visible text; without it the button shows only its icon. */
  text?: string;
  className?: string;
  onClick?: (event: MouseEvent) => void;
}

/** A button with an accessible name and a matching tooltip. */
export function button(doc: Document, options: ButtonOptions): HTMLButtonElement {
  const classes = ['ml-btn', options.text ? 'ml-btn-text' : 'ml-btn-icon', options.className ?? ''];
  const node = el(doc, 'button', {
    className: classes.join(' ').trim(),
    attrs: { type: 'button', 'aria-label': options.label, title: options.label },
  });
  if (options.icon) node.append(codicon(doc, options.icon));
  if (options.text) node.append(el(doc, 'span', { text: options.text }));
  const onClick = options.onClick;
  // Synthetic clicks still reach disabled buttons; a disabled button must do nothing.
  if (onClick) node.addEventListener('click', (event) => !node.disabled && onClick(event));
  return node;
}

/** Swaps the codicon inside a button (e.g. send ↔ stop, copy → check). */
export function setButtonIcon(node: Element, icon: string): void {
  const span = node.querySelector('.codicon');
  if (span) span.className = `codicon codicon-${icon}`;
}

export function setButtonLabel(node: Element, label: string): void {
  node.setAttribute('aria-label', label);
  node.setAttribute('title', label);
}
