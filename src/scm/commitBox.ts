// The commit box of the Source Control view while a generated message streams into it.
import type { GitRepository } from './gitApi';

/**
 * The Source Control commit box while a message streams in. If the user types into it
 * meanwhile, their text wins: nothing more is written, and nothing is restored over it.
 * The workbench echoes every write back to the extension host, late, so the box may briefly
 * read as any value written before: only a value we never wrote is the user's.
 */
export class CommitBox {
  private readonly before: string;
  private readonly ours = new Set<string>();
  private userEdited = false;

  constructor(private readonly repository: Pick<GitRepository, 'inputBox'>) {
    this.before = repository.inputBox.value;
    this.ours.add(this.before);
  }

  stream(text: string): void {
    if (text) this.write(text);
  }

  /** The final message; false when the user's edit was kept instead. */
  finish(text: string): boolean {
    return this.write(text);
  }

  /** Puts back what the box held before (after a failure or Cancel). */
  restore<T>(outcome: T): T {
    this.write(this.before);
    return outcome;
  }

  private write(text: string): boolean {
    const box = this.repository.inputBox;
    if (this.userEdited || !this.ours.has(box.value)) {
      this.userEdited = true;
      return false;
    }
    box.value = text;
    this.ours.add(text);
    return true;
  }
}
