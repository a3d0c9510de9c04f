// Runtime validation of messages arriving from the webview. The webview renders untrusted
// model output, so the host treats everything it posts as untrusted input.
import { MAX_PROMPT_CHARS } from './limits';
import type { CodeBlockAction, WebviewToHost } from './protocol';

const MAX_ID = 200;
const CODE_ACTIONS: readonly CodeBlockAction[] = ['copy', 'insert', 'apply', 'newFile'];

type Shape = Record<string, 'id' | 'text' | 'action'>;

const SHAPES: { [K in WebviewToHost['type']]: Shape } = {
  ready: {},
  send: { requestId: 'id', text: 'text' },
  cancel: { requestId: 'id' },
  regenerate: { requestId: 'id' },
  editAndResend: { requestId: 'id', messageId: 'id', text: 'text' },
  retry: { requestId: 'id' },
  selectModel: { model: 'id' },
  newChat: {},
  setApiKey: {},
  openLink: { href: 'text' },
  codeBlock: { action: 'action', code: 'text', language: 'id' },
  removeContext: { id: 'id' },
  attachFile: {},
  showHistory: {},
  openConversation: { id: 'id' },
  renameConversation: { id: 'id' },
  deleteConversation: { id: 'id' },
  exportConversation: { id: 'id' },
};

function fieldIsValid(kind: Shape[string], value: unknown): boolean {
  if (typeof value !== 'string') return false;
  switch (kind) {
    case 'id':
      return value.length > 0 && value.length <= MAX_ID;
    case 'text':
      return value.length <= MAX_PROMPT_CHARS;
    case 'action':
      return (CODE_ACTIONS as readonly string[]).includes(value);
  }
}

/**
 * Returns the message typed if it has exactly the shape its `type` requires, else a reason.
 * Unknown extra fields are dropped rather than passed along.
 */
export function validateWebviewMessage(raw: unknown): { ok: true; message: WebviewToHost } | { ok: false; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, type)) {
    return { ok: false, reason: `unknown type ${JSON.stringify(String(type)).slice(0, 60)}` };
  }
  const shape = SHAPES[type as WebviewToHost['type']];
  const clean: Record<string, unknown> = { type };
  for (const [field, kind] of Object.entries(shape)) {
    const value = (raw as Record<string, unknown>)[field];
    if (!fieldIsValid(kind, value)) return { ok: false, reason: `${type}.${field} is invalid` };
    clean[field] = value;
  }
  return { ok: true, message: clean as unknown as WebviewToHost };
}
