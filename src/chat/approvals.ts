// Questions the agent asks the user in the panel, such as "may I read .env?". Each waits for
// the answer in the panel, at most a few minutes, and counts as "no" when the answer is
// stopped, the wait runs out or the panel cannot ask. No vscode import.
import type { HostToWebview } from '../shared/protocol';

/** How long a question waits before it counts as "no". */
export const APPROVAL_TIMEOUT_MS = 5 * 60_000;

export class Approvals {
  private readonly pending = new Map<string, (allow: boolean) => void>();
  private next = 1;

  constructor(
    private readonly post: (message: HostToWebview) => void,
    private readonly timeoutMs = APPROVAL_TIMEOUT_MS,
  ) {}

  /** Asks, in the answer `requestId`, whether the agent may read `path`; resolves with the user's answer. */
  askToRead(requestId: string, path: string, signal?: AbortSignal): Promise<boolean> {
    const approvalId = `approval-${this.next++}`;
    return new Promise<boolean>((resolve) => {
      const settle = (allow: boolean) => {
        if (!this.pending.delete(approvalId)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', deny);
        resolve(allow);
      };
      const deny = () => settle(false);
      const timer = setTimeout(deny, this.timeoutMs);
      this.pending.set(approvalId, settle);
      signal?.addEventListener('abort', deny, { once: true });
      if (signal?.aborted) deny();
      else this.post({ type: 'answerApproval', requestId, approvalId, path });
    });
  }

  /** The user's answer from the panel; an unknown or settled id is ignored. */
  answer(approvalId: string, allow: boolean): void {
    this.pending.get(approvalId)?.(allow);
  }

  /** Every open question counts as "no" (e.g. the panel was closed or the chat changed). */
  denyAll(): void {
    for (const settle of [...this.pending.values()]) settle(false);
  }
}
