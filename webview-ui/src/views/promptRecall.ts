// ArrowUp / ArrowDown through recently sent prompts, like a shell: the draft typed before
// browsing comes back when the user walks past the newest prompt.

export class PromptRecall {
  /** Position in `prompts()` while browsing; -1 when not browsing. */
  private index = -1;
  private draft = '';
  private shown = '';

  constructor(private readonly prompts: () => readonly string[]) {}

  /** The older prompt to show, or undefined when there is none. */
  older(current: string): string | undefined {
    const list = this.prompts();
    if (this.index === -1) {
      if (list.length === 0) return undefined;
      this.draft = current;
      this.index = list.length;
    } else if (current !== this.shown) {
      return undefined; // the user edited the recalled text: leave it alone
    }
    if (this.index === 0) return undefined;
    this.index -= 1;
    this.shown = list[this.index];
    return this.shown;
  }

  /** The newer prompt (or the saved draft) to show, or undefined when not browsing. */
  newer(current: string): string | undefined {
    if (this.index === -1 || current !== this.shown) return undefined;
    const list = this.prompts();
    this.index += 1;
    if (this.index >= list.length) {
      this.index = -1;
      return this.draft;
    }
    this.shown = list[this.index];
    return this.shown;
  }

  /** Whether ArrowUp should recall rather than move the caret. */
  wantsOlder(value: string, selectionStart: number, selectionEnd: number): boolean {
    if (value === '') return true;
    if (this.index !== -1 && value === this.shown) return true;
    return selectionStart === 0 && selectionEnd === 0;
  }

  wantsNewer(value: string): boolean {
    return this.index !== -1 && value === this.shown;
  }

  reset(): void {
    this.index = -1;
    this.draft = '';
    this.shown = '';
  }
}
