// Saved conversations for one workspace: a JSON file per conversation plus a small index,
// all written atomically. Nothing is read until the chat is first used. Files from an older
// version are migrated on load (and saved as the current format on the next change); files
// from a newer version are shown read-only and never rewritten or set aside.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ConversationSummary } from '../shared/protocol';
import { CONVERSATION_FORMAT, CONVERSATION_MIGRATIONS, isStoredConversation, readableNewer, ReadOnlyConversationError, summarize, type StoredConversation } from './conversation';
import { setAside, writeFileAtomic } from './atomicFile';
import { isObject, migrate, type MigrationStep } from './migrate';

interface HistoryIndex {
  format: number;
  activeId?: string;
  conversations: ConversationSummary[];
}

/** Index N takes index.json from format N to N+1. */
const INDEX_MIGRATIONS: readonly MigrationStep[] = [
  // 0 → 1: summaries without a date or count would make list()'s sort inconsistent.
  (file) => ({
    ...file,
    conversations: Array.isArray(file.conversations) ? file.conversations.map((c) => (isObject(c) ? { updatedAt: 0, messageCount: 0, ...c } : c)) : file.conversations,
  }),
];
const INDEX_FORMAT = INDEX_MIGRATIONS.length;

const SAFE_ID = /^[A-Za-z0-9_-]{1,80}$/;

export class HistoryStore {
  private index: HistoryIndex | undefined;
  /** Every operation runs after the previous one, so the index and files never race. */
  private queue: Promise<unknown> = Promise.resolve();
  /** A newer version wrote index.json: keep the index in memory only, so that file survives. */
  private indexIsNewer = false;
  /** Files already reported as newer, so each is warned about once. */
  private readonly warnedNewer = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {}

  list(): Promise<ConversationSummary[]> {
    return this.run(async () => [...(await this.loadIndex()).conversations].sort((a, b) => b.updatedAt - a.updatedAt));
  }

  activeId(): Promise<string | undefined> {
    return this.run(async () => (await this.loadIndex()).activeId);
  }

  load(id: string): Promise<StoredConversation | undefined> {
    return this.run(async () => {
      const index = await this.loadIndex();
      const conversation = await this.readConversation(id);
      if (!conversation && index.conversations.some((c) => c.id === id)) {
        // Missing or set aside: the index must stop offering it.
        index.conversations = index.conversations.filter((c) => c.id !== id);
        if (index.activeId === id) index.activeId = undefined;
        await this.writeIndex(index);
      }
      return conversation;
    });
  }

  save(conversation: StoredConversation, makeActive = true): Promise<void> {
    return this.run(async () => {
      const index = await this.loadIndex();
      const file = this.fileOf(conversation.id);
      // Also checks the disk: a newer version may have written the file since it was loaded here.
      if (conversation.readOnly || (await isNewerOnDisk(file))) throw new ReadOnlyConversationError(conversation.id);
      const { readOnly: _readOnly, ...data } = conversation;
      await writeFileAtomic(file, JSON.stringify(data));
      index.conversations = index.conversations.filter((c) => c.id !== conversation.id);
      index.conversations.push(summarize(conversation));
      if (makeActive) index.activeId = conversation.id;
      await this.writeIndex(index);
    });
  }

  setActive(id: string | undefined): Promise<void> {
    return this.run(async () => {
      const index = await this.loadIndex();
      index.activeId = id;
      await this.writeIndex(index);
    });
  }

  delete(id: string): Promise<void> {
    return this.run(async () => {
      const index = await this.loadIndex();
      // Deleting is an explicit user request, so it removes a file a newer version wrote too.
      await fs.rm(this.fileOf(id), { force: true });
      index.conversations = index.conversations.filter((c) => c.id !== id);
      if (index.activeId === id) index.activeId = undefined;
      await this.writeIndex(index);
    });
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private fileOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`Invalid conversation id ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  private get indexFile(): string {
    return join(this.dir, 'index.json');
  }

  private async writeIndex(index: HistoryIndex): Promise<void> {
    this.index = index;
    if (!this.indexIsNewer) await writeFileAtomic(this.indexFile, JSON.stringify(index));
  }

  private async loadIndex(): Promise<HistoryIndex> {
    if (this.index) return this.index;
    const text = await readIfExists(this.indexFile);
    let activeId: unknown;
    if (text !== undefined) {
      const result = migrate(parseJson(text), INDEX_MIGRATIONS, isIndex);
      if (result.kind === 'current') return (this.index = result.value);
      if (result.kind === 'newer') {
        this.indexIsNewer = true;
        activeId = result.value.activeId;
        this.warn('The chat history index was written by a newer version of ModelsLab Coder. It is left untouched and the list is rebuilt from the saved conversations for this session; update the extension to use it.');
      } else {
        const movedTo = await setAside(this.indexFile);
        this.warn(`The chat history index was unreadable and was moved to ${movedTo}. Rebuilding it from the saved conversations.`);
      }
    }
    this.index = await this.rebuildIndex();
    if (typeof activeId === 'string' && this.index.conversations.some((c) => c.id === activeId)) this.index.activeId = activeId;
    if (this.index.conversations.length > 0) await this.writeIndex(this.index);
    return this.index;
  }

  /** Recovers the index from the conversation files, e.g. after the index itself was corrupt. */
  private async rebuildIndex(): Promise<HistoryIndex> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const conversations: ConversationSummary[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name === 'index.json') continue;
      const conversation = await this.readConversation(name.slice(0, -'.json'.length));
      if (conversation) conversations.push(summarize(conversation));
    }
    return { format: INDEX_FORMAT, conversations };
  }

  private async readConversation(id: string): Promise<StoredConversation | undefined> {
    if (!SAFE_ID.test(id)) return undefined;
    const file = this.fileOf(id);
    const text = await readIfExists(file);
    if (text === undefined) return undefined;
    const result = migrate(parseJson(text), CONVERSATION_MIGRATIONS, isStoredConversation);
    if (result.kind === 'current') return result.value;
    if (result.kind === 'newer') {
      if (!this.warnedNewer.has(file)) {
        this.warnedNewer.add(file);
        this.warn(`A saved conversation (${file}) was written by a newer version of ModelsLab Coder, so it is read-only here and left untouched. Update the extension to continue it.`);
      }
      return readableNewer(id, result.format, result.value);
    }
    const movedTo = await setAside(file);
    this.warn(`A saved conversation could not be read and was moved to ${movedTo}; the rest of the history is intact.`);
    return undefined;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function isNewerOnDisk(file: string): Promise<boolean> {
  const text = await readIfExists(file);
  const parsed = text === undefined ? undefined : parseJson(text);
  return isObject(parsed) && typeof parsed.format === 'number' && parsed.format > CONVERSATION_FORMAT;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isIndex(value: unknown): value is HistoryIndex {
  const v = value as Partial<HistoryIndex> | undefined;
  return !!v && v.format === INDEX_FORMAT && Array.isArray(v.conversations) && v.conversations.every((c) => typeof c?.id === 'string' && typeof c.title === 'string');
}
