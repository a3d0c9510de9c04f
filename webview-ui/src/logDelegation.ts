// One listener on the conversation for everything inside rendered markdown: links (opened by
// the host, never by the webview) and the code block buttons.
import type { CodeBlockAction, WebviewToHost } from '../../src/shared/protocol';
import type { Clock } from './clock';
import { setButtonIcon, setButtonLabel } from './dom';
import { getCodeBlockSource, setCodeWrap, WRAP_CODE_CLASS } from './markdownBody';

const CODE_ACTIONS: readonly string[] = ['copy', 'insert', 'apply', 'newFile'] satisfies CodeBlockAction[];
const COPIED_FEEDBACK_MS = 1500;

export function installLogDelegation(
  log: HTMLElement,
  post: (message: WebviewToHost) => void,
  clock: Clock,
  onWrapChange: (wrap: boolean) => void = () => undefined,
): void {
  const activate = (event: Event): boolean => {
    const target = asElement(event.target);
    if (!target) return false;
    const link = target.closest('[data-href]');
    if (link && log.contains(link)) {
      event.preventDefault();
      const href = link.getAttribute('data-href') ?? '';
      // Only what the host opens (http, https); the renderer never makes other links clickable.
      if (/^https?:\/\//i.test(href)) post({ type: 'openLink', href });
      return true;
    }
    const codeButton = target.closest('.ml-code-btn');
    if (codeButton && log.contains(codeButton)) {
      event.preventDefault();
      if (codeButton.getAttribute('data-action') === 'wrap') {
        const wrap = !log.ownerDocument.body.classList.contains(WRAP_CODE_CLASS);
        setCodeWrap(log.ownerDocument, wrap);
        onWrapChange(wrap);
      } else {
        runCodeAction(codeButton as HTMLElement, post, clock);
      }
      return true;
    }
    return false;
  };

  log.addEventListener('click', activate);
  // Links are role="link" spans with tabindex: Enter opens them like a real link.
  log.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && asElement(event.target)?.matches('[data-href]')) activate(event);
  });
}

/** Text nodes and the like have no closest(); no `instanceof Element` across realms either. */
function asElement(target: EventTarget | null): Element | null {
  return target && typeof (target as Element).closest === 'function' ? (target as Element) : null;
}

function runCodeAction(codeButton: HTMLElement, post: (message: WebviewToHost) => void, clock: Clock): void {
  const action = codeButton.getAttribute('data-action') ?? '';
  const source = getCodeBlockSource(codeButton);
  if (!source || !CODE_ACTIONS.includes(action)) return;
  // The host's validator wants a non-empty language id.
  post({ type: 'codeBlock', action: action as CodeBlockAction, code: source.code, language: source.language || 'plaintext' });
  if (action === 'copy') showCopied(codeButton, clock);
}

/** "Copied" for a moment: the icon becomes a check, the name says so too. */
function showCopied(codeButton: HTMLElement, clock: Clock): void {
  if (codeButton.classList.contains('is-copied')) return;
  const label = codeButton.getAttribute('aria-label') ?? 'Copy code';
  const title = codeButton.getAttribute('title') ?? 'Copy';
  const icon = codeButton.querySelector('.codicon')?.className ?? 'codicon codicon-copy';
  codeButton.classList.add('is-copied');
  setButtonIcon(codeButton, 'check');
  setButtonLabel(codeButton, 'Copied');
  clock.setTimeout(() => {
    codeButton.classList.remove('is-copied');
    const span = codeButton.querySelector('.codicon');
    if (span) span.className = icon;
    codeButton.setAttribute('aria-label', label);
    codeButton.setAttribute('title', title);
  }, COPIED_FEEDBACK_MS);
}
