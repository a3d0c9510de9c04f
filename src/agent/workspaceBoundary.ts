// The agent's only gate to the disk: every path the model names is resolved here, and anything
// that could reach outside the workspace folders (`..`, absolute paths, symlinks) is refused
// with a reason the model can read. Model output is hostile: a file in the workspace may tell
// it to read ~/.ssh/id_rsa.
import { promises as nodeFs } from 'node:fs';
import * as path from 'node:path';

/** The few fs calls the boundary needs, so tests or a virtual workspace can stand in. */
export interface BoundaryFs {
  realpath(p: string): Promise<string>;
  lstat(p: string): Promise<{ isSymbolicLink(): boolean }>;
  stat(p: string): Promise<{ size: number; isFile(): boolean; isDirectory(): boolean }>;
  open(p: string, flags: 'r'): Promise<{
    read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
    close(): Promise<void>;
  }>;
}

export interface BoundaryOptions {
  /** Absolute paths of the workspace folders; the first one takes plain relative paths. */
  roots: string[];
  /** Extra globs (the modelslab.agent.sensitiveFiles setting). */
  sensitivePatterns?: string[];
  maxFileBytes?: number;
}

export type Resolved =
  | {
      ok: true;
      absolute: string;
      /** Relative to `root`, with `/` separators; "." for the folder itself. */
      relative: string;
      root: string;
      /** Sensitive by its own name or by the name of the file a symlink leads to. */
      sensitive: boolean;
    }
  | { ok: false; reason: string };

export type Readable = { ok: true; size: number } | { ok: false; reason: string };

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Git's heuristic too: a NUL byte early on means binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/** Secret files that need the user's approval before the model may read them. */
export const BUILT_IN_SENSITIVE_PATTERNS: readonly string[] = ['.env*', '*.pem', '*.key', 'id_rsa*', '.npmrc', '**/.git/config'];

export class WorkspaceBoundary {
  private readonly roots: { path: string; name: string }[];
  private readonly sensitive: RegExp[];
  private readonly maxFileBytes: number;

  constructor(options: BoundaryOptions, private readonly fs: BoundaryFs = nodeFs) {
    this.roots = options.roots.map((root) => ({ path: path.resolve(root), name: path.basename(path.resolve(root)) }));
    this.sensitive = [...BUILT_IN_SENSITIVE_PATTERNS, ...(options.sensitivePatterns ?? [])]
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(sensitiveMatcher);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  async resolve(requested: string): Promise<Resolved> {
    const lexical = this.resolveLexically(requested);
    if (!lexical.ok) return lexical;
    const real = await this.realLocation(lexical.absolute, requested);
    if (!real.ok) return real;
    const realRoot = await this.realRootContaining(real.path);
    if (!realRoot) {
      return refuse(`outside the workspace: "${requested}" is, or lies under, a symbolic link that points outside the workspace.`);
    }
    const relative = toPosix(path.relative(lexical.root, lexical.absolute)) || '.';
    const realRelative = toPosix(path.relative(realRoot, real.path)) || '.';
    return {
      ok: true,
      absolute: lexical.absolute,
      relative,
      root: lexical.root,
      sensitive: this.isSensitive(relative) || this.isSensitive(realRelative),
    };
  }

  /** Patterns without a "/" match a file or folder name at any depth (like .gitignore); others match from the root. */
  isSensitive(relativePath: string): boolean {
    const segments = toPosix(relativePath).split('/').filter((s) => s !== '' && s !== '.');
    // Each ancestor too, so a secret folder (".env.d/", "secrets/**") covers what is inside it.
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    return this.sensitive.some((matches) => prefixes.some((prefix) => matches.test(prefix)));
  }

  /** For an absolute path that resolve() accepted. */
  async checkReadable(absolute: string): Promise<Readable> {
    let stats: Awaited<ReturnType<BoundaryFs['stat']>>;
    try {
      stats = await this.fs.stat(absolute);
    } catch (error) {
      return refuse(errorCode(error) === 'ENOENT' ? 'not found: no file exists at this path.' : `cannot read: ${errorCode(error)}.`);
    }
    if (stats.isDirectory()) return refuse('a folder, not a file: list it instead.');
    // A FIFO or device would block the read or never end.
    if (!stats.isFile()) return refuse('not a regular file: only text files can be read.');
    if (stats.size > this.maxFileBytes) {
      return refuse(`too large: the file is ${formatBytes(stats.size)} and the limit is ${formatBytes(this.maxFileBytes)}; read a line range or search it instead.`);
    }
    if (await this.startsWithNul(absolute, stats.size)) return refuse('binary file: it contains NUL bytes, so it is not text.');
    return { ok: true, size: stats.size };
  }

  private resolveLexically(requested: string): { ok: true; absolute: string; root: string } | { ok: false; reason: string } {
    if (this.roots.length === 0) return refuse('no workspace folder is open.');
    if (requested.trim() === '') return refuse('no path given.');
    if (requested.includes('\0')) return refuse('the path contains a NUL character.');
    // The shell would expand "~"; we never do, so say why instead of looking for a folder named "~".
    if (requested === '~' || requested.startsWith('~/') || requested.startsWith('~\\')) {
      return refuse(`outside the workspace: "${requested}" is in the home folder; use a path inside the workspace.`);
    }
    if (path.isAbsolute(requested)) {
      const absolute = path.resolve(requested);
      const root = deepestContaining(this.roots.map((r) => r.path), absolute);
      return root ? { ok: true, absolute, root } : refuse(`outside the workspace: "${requested}" is not inside any workspace folder.`);
    }
    const { root, rest } = this.rootFor(requested);
    const absolute = path.resolve(root.path, rest);
    // A relative path stays in its folder, even when ".." would land in another workspace folder.
    if (!isInside(root.path, absolute)) {
      return refuse(`outside the workspace: "${requested}" climbs out of the workspace folder "${root.name}" with "..".`);
    }
    return { ok: true, absolute, root: root.path };
  }

  /** With several folders, "name/rest" picks the folder called name (as VS Code shows paths); otherwise the first folder. */
  private rootFor(requested: string): { root: { path: string; name: string }; rest: string } {
    if (this.roots.length > 1) {
      const [first, ...rest] = toPosix(requested).split('/');
      const named = this.roots.find((r) => r.name === first);
      if (named) return { root: named, rest: rest.join('/') };
    }
    return { root: this.roots[0], rest: requested };
  }

  /**
   * Where the path really leads: the real path of its deepest existing ancestor plus the
   * not-yet-existing rest, so a file about to be created is checked as well.
   */
  private async realLocation(absolute: string, requested: string): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
    const missing: string[] = [];
    let current = absolute;
    for (;;) {
      try {
        return { ok: true, path: path.join(await this.fs.realpath(current), ...missing) };
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') return refuse(`cannot check "${requested}": ${code}.`);
      }
      // A dangling link: writing through it would create its target, wherever that is.
      if (await this.isSymlink(current)) {
        return refuse(`"${requested}" goes through a symbolic link whose target does not exist.`);
      }
      const parent = path.dirname(current);
      if (parent === current) return refuse(`cannot check "${requested}": not even the filesystem root exists.`);
      missing.unshift(path.basename(current));
      current = parent;
    }
  }

  private async isSymlink(p: string): Promise<boolean> {
    try {
      return (await this.fs.lstat(p)).isSymbolicLink();
    } catch {
      return false;
    }
  }

  /** The real path of the folder that really holds it, or undefined when none does. */
  private async realRootContaining(real: string): Promise<string | undefined> {
    const realRoots = await Promise.all(this.roots.map((r) => this.fs.realpath(r.path).catch(() => r.path)));
    return deepestContaining(realRoots, real);
  }

  private async startsWithNul(absolute: string, size: number): Promise<boolean> {
    const head = new Uint8Array(Math.min(size, BINARY_SNIFF_BYTES));
    const handle = await this.fs.open(absolute, 'r');
    try {
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return head.subarray(0, bytesRead).includes(0);
    } finally {
      await handle.close();
    }
  }
}

/**
 * A small glob: `*` and `?` stay within one path segment; `**` as a whole segment spans any
 * number of segments, none included. Braces and character classes are not supported and match
 * literally. `*` also matches a leading dot: for secrets, matching too much only asks once more.
 */
export function globToRegExp(glob: string, flags = ''): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      const atSegmentEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atSegmentStart && glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else if (atSegmentStart && atSegmentEnd && source.endsWith('/')) {
        // "a/**" covers "a" itself as well as everything below it.
        source = `${source.slice(0, -1)}(?:/.*)?`;
        i += 1;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, flags);
}

/** Case-insensitive: on macOS and Windows ".ENV" is the same file, and asking once too often is harmless. */
function sensitiveMatcher(pattern: string): RegExp {
  // As in .gitignore: "secrets/" is a name at any depth; "/x", "./x" and "a/b" start at the folder's root.
  const trimmed = toPosix(pattern).replace(/\/+$/, '');
  const body = trimmed.replace(/^\.?\//, '');
  const fromRoot = body !== trimmed || body.includes('/');
  return globToRegExp(fromRoot ? body : `**/${body}`, 'i');
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Nested workspace folders: the innermost one owns the path. */
function deepestContaining(roots: string[], candidate: string): string | undefined {
  return roots.filter((root) => isInside(root, candidate)).sort((a, b) => b.length - a.length)[0];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}
