// The pure logic behind the agent's two edit tools. Nothing here touches the disk: edits become
// proposed contents that the user reviews. A failed edit returns a reason and no content, so a
// failed search can never empty or truncate a file (Cline #9555).

export type ReplaceResult = { ok: true; content: string } | { ok: false; reason: string };

/**
 * Replaces the one occurrence of oldString. Line endings are compared loosely (the model
 * usually writes LF even when the file uses CRLF); the new text takes the file's line ending,
 * and every byte outside the replaced range stays as it was.
 */
export function replaceUnique(content: string, oldString: string, newString: string): ReplaceResult {
  if (oldString === '') {
    return fail('the old string is empty: give the exact text to replace, or use the create-file tool for a new file.');
  }
  const view = lfView(content);
  const oldView = toLf(oldString);
  const newView = toLf(newString);
  if (oldView === newView) return fail('the old and new strings are the same: there is nothing to change.');

  const start = view.text.indexOf(oldView);
  if (start < 0) {
    return fail('the old string was not found in the file: re-read the file and copy the text exactly, including whitespace and indentation.');
  }
  const count = countOccurrences(view.text, oldView);
  if (count > 1) {
    return fail(`the old string occurs ${count} times in the file: include more surrounding lines so that it matches exactly once.`);
  }
  const from = view.toOriginal(start);
  const to = view.toOriginal(start + oldView.length);
  const inserted = usesCrlf(content) ? newView.replace(/\n/g, '\r\n') : newView;
  return { ok: true, content: content.slice(0, from) + inserted + content.slice(to) };
}

export interface PlannedFile {
  path: string;
  /** The content on disk when the turn first touched the file; undefined for a new file. */
  original: string | undefined;
  updated: string;
  isNew: boolean;
}

/**
 * One agent turn's proposed files. Successive edits to a file build on what the turn already
 * proposed for it, so two replacements in one file both survive. Paths are the caller's keys:
 * with several workspace folders, qualify them with the folder name.
 */
export class EditPlan {
  private readonly planned = new Map<string, { original: string | undefined; updated: string }>();

  /** The first proposal for a path fixes its original; later ones only move `updated` on. */
  propose(path: string, original: string | undefined, updated: string): void {
    const known = this.planned.get(path);
    this.planned.set(path, { original: known ? known.original : original, updated });
  }

  /** What the next edit of this file must start from: the proposed content, if there is one. */
  proposed(path: string): string | undefined {
    return this.planned.get(path)?.updated;
  }

  /** The replace tool: applies to the proposed content, else to `onDisk` (undefined when the file does not exist). */
  replace(path: string, onDisk: string | undefined, oldString: string, newString: string): ReplaceResult {
    const base = this.proposed(path) ?? onDisk;
    if (base === undefined) return fail('the file does not exist: create it with the create-file tool.');
    const result = replaceUnique(base, oldString, newString);
    if (result.ok) this.propose(path, onDisk, result.content);
    return result;
  }

  /** Files whose proposal differs from the original (edits that undo each other drop out), in the order first touched. */
  files(): PlannedFile[] {
    return [...this.planned]
      .filter(([, file]) => file.updated !== file.original)
      .map(([path, file]) => ({ path, original: file.original, updated: file.updated, isNew: file.original === undefined }));
  }

  drop(path: string): boolean {
    return this.planned.delete(path);
  }
}

/** The content with each CRLF read as LF, and a map from offsets in that view back to the content. */
function lfView(content: string): { text: string; toOriginal: (offset: number) => number } {
  // Offsets in the LF view of each "\n" that stood for a "\r\n".
  const folded: number[] = [];
  let text = '';
  let last = 0;
  for (let at = content.indexOf('\r\n'); at >= 0; at = content.indexOf('\r\n', at + 2)) {
    text += content.slice(last, at);
    folded.push(text.length);
    text += '\n';
    last = at + 2;
  }
  text += content.slice(last);
  // A view offset maps to offset + the "\r"s folded away before it; a folded "\n" maps to its "\r".
  const toOriginal = (offset: number): number => offset + folded.filter((f) => f < offset).length;
  return { text, toOriginal };
}

function toLf(s: string): string {
  return s.replace(/\r\n/g, '\n');
}

/** CRLF when most line breaks are CRLF, so a mixed file keeps its majority style. */
function usesCrlf(content: string): boolean {
  const crlf = content.split('\r\n').length - 1;
  const lf = content.split('\n').length - 1;
  return crlf > 0 && crlf * 2 >= lf;
}

/** Overlapping ones too: "aa" in "aaa" is ambiguous. */
function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
