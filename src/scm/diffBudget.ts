// Fits a unified diff (git diff output) into a character budget for a prompt. A diff that fits
// goes whole; a larger one is never cut blindly at the end (the last files would vanish):
// every file keeps its status and +/- counts, and gets a fair share of the budget for its hunks,
// with a visible note of what was left out. No vscode here: unit-tested in plain Node.

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface DiffFile {
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: FileStatus;
  binary: boolean;
  /** The lines before the first hunk ("diff --git", modes, "---"/"+++"), newline-terminated. */
  header: string;
  /** Each hunk from its "@@" line, newline-terminated. */
  hunks: string[];
  added: number;
  removed: number;
}

export interface BudgetedDiff {
  text: string;
  truncated: boolean;
  /** Said to the user (and the model) when the diff was cut. */
  notice?: string;
}

/**
 * Lock files say little about intent and can be huge, and a deleted file's old text says less
 * than its name: over budget, both get their summary line only.
 */
const LOCK_FILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|poetry\.lock|Gemfile\.lock|composer\.lock|go\.sum)$/;

export function parseDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let hunk: string[] | undefined;
  const closeHunk = () => {
    if (file && hunk) file.hunks.push(hunk.join(''));
    hunk = undefined;
  };
  for (const line of splitLines(diff)) {
    const bare = line.replace(/\r?\n$/, '');
    if (bare.startsWith('diff --git ')) {
      closeHunk();
      file = { path: pathFromGitLine(bare), status: 'modified', binary: false, header: '', hunks: [], added: 0, removed: 0 };
      files.push(file);
    }
    if (!file) continue;
    if (bare.startsWith('@@')) {
      closeHunk();
      hunk = [line];
      continue;
    }
    if (hunk) {
      // Inside a hunk every line is content: a "+++" here is an added line starting "++".
      if (bare.startsWith('+')) file.added++;
      else if (bare.startsWith('-')) file.removed++;
      hunk.push(line);
      continue;
    }
    file.header += line;
    readHeaderLine(file, bare);
  }
  closeHunk();
  return files;
}

function readHeaderLine(file: DiffFile, line: string): void {
  const from = /^(rename|copy) from (.*)$/.exec(line);
  const to = /^(?:rename|copy) to (.*)$/.exec(line);
  if (line.startsWith('new file mode')) file.status = 'added';
  else if (line.startsWith('deleted file mode')) file.status = 'deleted';
  else if (from) {
    file.status = from[1] === 'rename' ? 'renamed' : 'copied';
    file.oldPath = unquote(from[2]);
  } else if (to) file.path = unquote(to[1]);
  else if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
  else if (line.startsWith('+++ ') && !line.endsWith('/dev/null')) file.path = stripPrefix(unquote(line.slice(4).replace(/\t$/, ''))); // git appends a tab after a path with spaces
}

/** "diff --git a/x b/x": the two halves are equal unless renamed, which later lines settle. */
function pathFromGitLine(line: string): string {
  const rest = line.slice('diff --git '.length);
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) return rest.slice(2, half);
  const match = /^"?a\/(.*?)"? "?b\/(.*?)"?$/.exec(rest);
  return match ? match[2] : rest;
}

function unquote(path: string): string {
  return path.startsWith('"') && path.endsWith('"') ? path.slice(1, -1) : path;
}

function stripPrefix(path: string): string {
  return /^[ab]\//.test(path) ? path.slice(2) : path;
}

/** Lines with their line endings kept, so the parts add up to the original text. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** One line per file: what happened to it and how much. */
export function summaryLine(file: DiffFile): string {
  const name = file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path;
  const size = file.binary ? 'binary' : `+${file.added} -${file.removed}`;
  return `- ${name} (${file.status}, ${size})`;
}

/** Less room than this is not worth an excerpt: the file is listed in the summary only. */
const MIN_SHARE = 400;
/** Room kept for the one line naming the files left out. */
const LEFT_OUT_ROOM = 300;

export function budgetDiff(diff: string, budgetChars: number): BudgetedDiff {
  if (diff.length <= budgetChars) return { text: diff, truncated: false };
  const files = parseDiff(diff);
  const lead = `The diff (${formatChars(diff.length)}) is larger than the budget (${formatChars(budgetChars)}), so it is summarised per file: each file's status and added/removed line counts, then as much of each file's changes as fits, with a note where lines were left out.\n\nFiles changed:\n`;
  const summary = summaryBlock(files, Math.floor(budgetChars / 3));
  const room = Math.max(0, budgetChars - lead.length - summary.length - LEFT_OUT_ROOM - 1);
  const sizes = files.map(bodySize);
  const eligible = eligibleFiles(sizes, room);
  const shares = fairShares(sizes.map((size, i) => (eligible.has(i) ? size : 0)), room);
  const excerpts = files.map((file, i) => (shares[i] > 0 ? fileExcerpt(file, shares[i]) : ''));
  const leftOut = files.filter((f, i) => shares[i] === 0 && !f.binary && f.hunks.length > 0);
  const text = `${lead}${summary}\n${excerpts.join('')}${leftOutLine(leftOut)}`;
  const whole = files.filter((_, i) => shares[i] > 0 && shares[i] >= sizes[i]).length;
  return {
    text,
    truncated: true,
    notice: `The diff was ${formatChars(diff.length)}, over the ${formatChars(budgetChars)} budget: ${whole} of ${files.length} files were sent whole, the others in part or as a summary line.`,
  };
}

/** The per-file summary, cut to `limit` characters with a count of the files not listed. */
function summaryBlock(files: DiffFile[], limit: number): string {
  let text = '';
  for (let i = 0; i < files.length; i++) {
    const line = `${summaryLine(files[i])}\n`;
    if (text.length + line.length > limit) {
      const rest = files.slice(i);
      const added = rest.reduce((n, f) => n + f.added, 0);
      const removed = rest.reduce((n, f) => n + f.removed, 0);
      return `${text}- … and ${rest.length} more files (+${added} -${removed})\n`;
    }
    text += line;
  }
  return text;
}

function summaryOnly(file: DiffFile): boolean {
  return file.binary || file.status === 'deleted' || LOCK_FILE.test(file.path);
}

/** What a file's excerpt would take whole: its header and every hunk (nothing for summary-only files). */
function bodySize(file: DiffFile): number {
  if (summaryOnly(file)) return 0;
  return file.header.length + file.hunks.reduce((n, h) => n + h.length, 0);
}

/**
 * The files that get an excerpt: all of them when each can have at least MIN_SHARE, else as
 * many as can, smallest first (they are the likeliest to be shown whole).
 */
function eligibleFiles(sizes: readonly number[], room: number): Set<number> {
  const candidates = sizes.map((size, i) => ({ size, i })).filter((c) => c.size > 0);
  const most = Math.floor(room / MIN_SHARE);
  if (candidates.length <= most) return new Set(candidates.map((c) => c.i));
  candidates.sort((a, b) => a.size - b.size);
  return new Set(candidates.slice(0, most).map((c) => c.i));
}

/**
 * Splits `room` so that small files get all they need and the big ones share the rest equally
 * (water-filling): one huge file cannot starve the others.
 */
export function fairShares(sizes: readonly number[], room: number): number[] {
  const shares = sizes.map(() => 0);
  let open = sizes.map((_, i) => i).filter((i) => sizes[i] > 0);
  let left = room;
  while (open.length > 0 && left > 0) {
    const each = Math.floor(left / open.length);
    const small = open.filter((i) => sizes[i] <= each);
    if (small.length === 0) {
      for (const i of open) shares[i] = each;
      break;
    }
    for (const i of small) {
      shares[i] = sizes[i];
      left -= sizes[i];
    }
    open = open.filter((i) => !small.includes(i));
  }
  return shares;
}

/** One line naming the files whose changed lines were all left out, and why, within LEFT_OUT_ROOM. */
function leftOutLine(files: DiffFile[]): string {
  if (files.length === 0) return '';
  const why = (f: DiffFile) => (f.status === 'deleted' ? 'deleted' : LOCK_FILE.test(f.path) ? 'lock file' : 'no room');
  const head = '[Changed lines left out, see the summary: ';
  let names = '';
  for (let i = 0; i < files.length; i++) {
    const name = `${i ? ', ' : ''}${files[i].path} (${why(files[i])}, ${files[i].added + files[i].removed} lines)`;
    const more = `, and ${files.length - i} more`;
    if (head.length + names.length + name.length + more.length + 2 > LEFT_OUT_ROOM) return `${head}${names}${more}]\n`;
    names += name;
  }
  return `${head}${names}]\n`;
}

/** The file's header and whole hunks while they fit its share, then part of the next; a note for the rest. */
function fileExcerpt(file: DiffFile, share: number): string {
  const whole = file.header.length + file.hunks.reduce((n, h) => n + h.length, 0);
  if (whole <= share) return file.header + file.hunks.join('');
  // Room for the note that ends the excerpt ("…: 12 of 40 hunks left out or cut, 300 changed lines not shown").
  const noteRoom = file.path.length + 80;
  let text = file.header.length + noteRoom <= share ? file.header : `diff --git a/${file.path} b/${file.path}\n`;
  let left = share - text.length - noteRoom;
  let hunksShown = 0;
  let linesCut = 0;
  for (const hunk of file.hunks) {
    if (hunk.length <= left) {
      text += hunk;
      left -= hunk.length;
      hunksShown++;
      continue;
    }
    const part = left > 0 ? headOfHunk(hunk, left) : '';
    if (part) {
      text += part;
      left -= part.length;
    }
    linesCut += changedLines(hunk.slice(part.length));
  }
  const hunksLeft = file.hunks.length - hunksShown;
  return `${text}[${file.path}: ${hunksLeft} of ${file.hunks.length} hunks left out or cut, ${linesCut} changed lines not shown]\n`;
}

/** The start of a hunk, cut at a line boundary; empty when not even its "@@" line and one more fit. */
function headOfHunk(hunk: string, limit: number): string {
  const lines = splitLines(hunk);
  let text = '';
  for (const line of lines) {
    if (text.length + line.length > limit) break;
    text += line;
  }
  return text.split('\n').length > 2 ? text : '';
}

function changedLines(text: string): number {
  return splitLines(text).filter((l) => (l.startsWith('+') || l.startsWith('-')) && !l.startsWith('@@')).length;
}

function formatChars(chars: number): string {
  return chars < 1024 ? `${chars} characters` : `${Math.round(chars / 1024)} KB`;
}
