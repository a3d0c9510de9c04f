// What the agent leaves alone besides secrets: what the user hid with `files.exclude` and what
// the workspace's .gitignore ignores. Both become globs for search and for read (simple
// .gitignore lines only: negations and character classes are not understood and are skipped).
import { searchGlob } from './textSearch';

/** `files.exclude` entries that are on (`true`); `when` conditions are ignored. */
export function filesExcludeGlobs(setting: Record<string, unknown> | undefined): string[] {
  return Object.entries(setting ?? {})
    .filter(([, on]) => on === true)
    .map(([glob]) => glob.replace(/^\*\*\//, ''));
}

/** The globs of a .gitignore's simple lines. */
export function gitignoreGlobs(text: string): string[] {
  const globs: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!') || /[[\]\\]/.test(line)) continue;
    const anchored = line.startsWith('/');
    let glob = line.replace(/^\//, '').replace(/\/$/, '/**');
    // A bare name matches at any depth, as in git; with a slash (or a leading one) it starts at
    // the root ("./" keeps a slash-free anchored name anchored for searchGlob).
    if (!anchored && !glob.slice(0, -3).includes('/') && glob.endsWith('/**')) glob = `**/${glob}`;
    else if (anchored && !glob.includes('/')) glob = `./${glob}`;
    globs.push(glob);
  }
  return globs;
}

/** A predicate over workspace-relative paths: true when one of the globs ignores it (or a folder above it). */
export function ignoredBy(globs: readonly string[]): (relativePath: string) => boolean {
  const patterns = globs.map((glob) => searchGlob(glob));
  return (path) => {
    const parts = path.split('/');
    // "build/**" ignores build/x.js; so does a bare "build" (a folder name) for everything below it.
    return parts.some((_, i) => patterns.some((re) => re.test(parts.slice(0, i + 1).join('/'))));
  };
}
