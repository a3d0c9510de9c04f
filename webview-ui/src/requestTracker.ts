// Which request the panel is waiting on. Only one answer streams at a time; events for any
// other request id are ignored. Pure state, no DOM.

interface Active {
  /** null after a reload mid-answer: the id is learned from the next event. */
  id: string | null;
  /** answerStart has arrived (until then, a notice means the host refused the request). */
  started: boolean;
  cancelRequested: boolean;
}

export class RequestTracker {
  private active: Active | undefined;

  get busy(): boolean {
    return this.active !== undefined;
  }

  get id(): string | null | undefined {
    return this.active?.id;
  }

  /** We posted send / regenerate / retry / editAndResend with this id. */
  begin(id: string): void {
    this.active = { id, started: false, cancelRequested: false };
  }

  /**
   * answerStart. The host may also start answers of its own (e.g. an editor command), so any
   * id is adopted. Returns true when the user already pressed Stop for it (cancel again: the
   * first cancel may have reached the host before it knew the request).
   */
  start(id: string): boolean {
    const cancel = this.active?.id === id && this.active.cancelRequested;
    this.active = { id, started: true, cancelRequested: cancel };
    return cancel;
  }

  /** A saved conversation arrived with its last answer still streaming. */
  resumeUnknown(): void {
    this.active = { id: null, started: true, cancelRequested: false };
  }

  /** Whether an answer event with this id belongs to the current answer. */
  matches(id: string): boolean {
    if (!this.active) return false;
    if (this.active.id === null) this.active.id = id;
    return this.active.id === id;
  }

  /** Stop was pressed: the id to cancel, if known. */
  requestCancel(): string | undefined {
    if (!this.active) return undefined;
    this.active.cancelRequested = true;
    return this.active.id ?? undefined;
  }

  /** A notice while nothing has started means the host turned the request down. */
  refusedIfPending(): boolean {
    if (!this.active || this.active.started) return false;
    this.active = undefined;
    return true;
  }

  end(): void {
    this.active = undefined;
  }
}
