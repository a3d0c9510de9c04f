// Text search for the agent: VS Code's own ripgrep when we can find it (it ships inside every
// install), else a streaming JavaScript walk. Both stop at the first `maxResults` matches and
// skip what the agent must not read: ignored folders, binary and oversized files.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { globToRegExp } from './workspaceBoundary';

export interface TextSearchQuery {
  /** Absolute workspace folders. */
  roots: readonly string[];
  pattern: string;
  isRegex: boolean;
  /** Only files whose workspace-relative path matches this glob (`**` / `*` / `?`). */
  include?: string;
  /** Globs of files never searched (the secret files: their content must not reach the model). */
  exclude?: readonly string[];
  maxResults: number;
  /** Files larger than this are skipped. */
  maxFileBytes: number;
  signal?: AbortSignal;
}

export interface TextMatch {
  /** Workspace-relative, with forward slashes. */
  path: string;
  line: number;
  text: string;
}

export interface TextSearchResult {
  matches: TextMatch[];
  /** True when the search stopped at maxResults (there may be more). */
  limited: boolean;
  engine: 'ripgrep' | 'javascript';
}

/** Folders no search goes into, ripgrep or not. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', 'out', 'dist', '.vscode-test']);
const LINE_CAP = 300;

/** ripgrep inside a VS Code install (desktop, or code-server's `lib/vscode`). */
export function findRipgrep(appRoot: string | undefined, platform = process.platform, arch = process.arch): string | undefined {
  if (!appRoot) return undefined;
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates = [
    join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}

export function searchText(query: TextSearchQuery, ripgrep?: string): Promise<TextSearchResult> {
  return ripgrep ? searchWithRipgrep(query, ripgrep) : searchWithJavaScript(query);
}

async function searchWithRipgrep(query: TextSearchQuery, rg: string): Promise<TextSearchResult> {
  const matches: TextMatch[] = [];
  let limited = false;
  for (const root of query.roots) {
    if (matches.length >= query.maxResults || query.signal?.aborted) break;
    const args = ['--json', '--max-filesize', String(query.maxFileBytes), '--max-columns', String(LINE_CAP), '--max-columns-preview'];
    for (const dir of SKIPPED_DIRS) args.push('--glob', `!${dir}/**`);
    // .gitignore applies even where there is no git repository (ripgrep wants one by default).
    args.push('--no-require-git');
    for (const glob of query.exclude ?? []) args.push('--glob', `!${glob.replace(/^\.\//, '/')}`);
    if (query.include) args.push('--glob', query.include);
    if (!query.isRegex) args.push('--fixed-strings');
    args.push('--', query.pattern, '.');
    limited = (await runRipgrep(rg, args, root, query, matches)) || limited;
  }
  return { matches, limited, engine: 'ripgrep' };
}

/** Runs one ripgrep; true when it was stopped at maxResults. */
function runRipgrep(rg: string, args: string[], root: string, query: TextSearchQuery, matches: TextMatch[]): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(rg, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let limited = false;
    let stderr = '';
    const stop = () => child.kill();
    query.signal?.addEventListener('abort', stop, { once: true });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()).slice(-2000));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (limited) return;
      const event = JSON.parse(line) as { type: string; data?: { path?: { text?: string }; line_number?: number; lines?: { text?: string } } };
      if (event.type !== 'match' || !event.data?.path?.text) return;
      matches.push({ path: event.data.path.text.replace(/^\.\//, '').split(sep).join('/'), line: event.data.line_number ?? 0, text: (event.data.lines?.text ?? '').replace(/\r?\n$/, '').slice(0, LINE_CAP) });
      if (matches.length >= query.maxResults) {
        limited = true;
        child.kill();
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      query.signal?.removeEventListener('abort', stop);
      // 0 = matches, 1 = none; killed (limit or Stop) is fine too. 2 = a bad pattern or the like.
      if (code === 2 && !limited && !query.signal?.aborted) reject(new Error(stderr.trim().split('\n').slice(0, 6).join('\n') || 'ripgrep failed'));
      else resolve(limited);
    });
  });
}

async function searchWithJavaScript(query: TextSearchQuery): Promise<TextSearchResult> {
  const matcher = query.isRegex ? new RegExp(query.pattern) : undefined;
  const include = query.include ? searchGlob(query.include) : undefined;
  const excluded = (query.exclude ?? []).map(searchGlob);
  const matches: TextMatch[] = [];
  for (const root of query.roots) {
    for await (const file of walk(root, query.signal)) {
      const path = relative(root, file).split(sep).join('/');
      if ((include && !include.test(path)) || excluded.some((glob) => glob.test(path))) continue;
      const info = await stat(file).catch(() => undefined);
      if (!info || info.size > query.maxFileBytes) continue;
      // A file's matches count only once it is known not to be binary.
      const found: TextMatch[] = [];
      let lineNumber = 0;
      let binary = false;
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) {
        lineNumber++;
        if (line.includes('\u0000')) {
          binary = true;
          break;
        }
        if (matcher ? matcher.test(line) : line.includes(query.pattern)) found.push({ path, line: lineNumber, text: line.slice(0, LINE_CAP) });
        if (matches.length + found.length >= query.maxResults) break;
      }
      lines.close();
      if (binary) continue;
      matches.push(...found.slice(0, query.maxResults - matches.length));
      if (matches.length >= query.maxResults) return { matches, limited: true, engine: 'javascript' };
      if (query.signal?.aborted) return { matches, limited: false, engine: 'javascript' };
    }
  }
  return { matches, limited: false, engine: 'javascript' };
}

async function* walk(dir: string, signal?: AbortSignal): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (signal?.aborted) return;
    const full = join(dir, entry.name);
    // Symbolic links are not followed: they may lead out of the workspace.
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(full, signal);
    } else if (entry.isFile()) {
      yield full;
    }
  }
}

/** A glob as ripgrep reads `--glob`: with a `/` it starts at the folder's root, without one it is a name at any depth. */
export function searchGlob(glob: string): RegExp {
  return globToRegExp(glob.includes('/') ? glob.replace(/^\.?\//, '') : `**/${glob}`);
}
