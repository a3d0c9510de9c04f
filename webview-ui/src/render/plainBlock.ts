// A part of an answer shown as plain text, with a small notice saying so: what the renderer
// does with text it must not or could not format (see guards.ts and the error boundaries in
// blockRenderer.ts and the message views). The text goes into a text node: nothing in it is
// ever parsed as HTML.

export const PLAIN_NOTICE = 'This part could not be formatted and is shown as plain text.';

/**
 * At most this much of one part is put on screen: laying out many megabytes of text would
 * freeze the panel, and a part that large is not read on screen anyway.
 */
export const MAX_PLAIN_CHARS = 200_000;

export function createPlainBlock(doc: Document, text: string): HTMLElement {
  const block = doc.createElement('div');
  block.className = 'ml-plain';
  const notice = doc.createElement('p');
  notice.className = 'ml-plain-notice';
  const icon = doc.createElement('span');
  icon.className = 'codicon codicon-info';
  icon.setAttribute('aria-hidden', 'true');
  notice.append(icon, doc.createTextNode(PLAIN_NOTICE));
  const body = doc.createElement('div');
  body.className = 'ml-plain-text';
  block.append(notice, body);
  setPlainText(block, text);
  return block;
}

/** Replaces the text of a block made by createPlainBlock. */
export function setPlainText(block: HTMLElement, text: string): void {
  // Only what is shown is looked at: the text may be many megabytes.
  setPlainTextStart(block, text.length > MAX_PLAIN_CHARS ? text.slice(0, MAX_PLAIN_CHARS) : text, text.length);
}

/**
 * setPlainText for a text known by its start (at least its first MAX_PLAIN_CHARS characters,
 * or all of it) and its length, as when it arrives in pieces.
 */
export function setPlainTextStart(block: HTMLElement, start: string, length: number): void {
  const body = block.lastElementChild as HTMLElement;
  const shown = start.slice(0, MAX_PLAIN_CHARS).trimEnd();
  const more = length > MAX_PLAIN_CHARS ? length - shown.length : 0;
  const current = body.firstChild;
  if (!current || current.nodeType !== TEXT_NODE || (current as Text).data !== shown || body.childNodes.length !== (more ? 2 : 1)) {
    body.replaceChildren(block.ownerDocument.createTextNode(shown));
    if (more) {
      const rest = block.ownerDocument.createElement('span');
      rest.className = 'ml-plain-more';
      body.append(rest);
    }
  }
  if (more) (body.lastChild as HTMLElement).textContent = `\n… ${more.toLocaleString('en-US')} more characters not shown.`;
}

const TEXT_NODE = 3;
