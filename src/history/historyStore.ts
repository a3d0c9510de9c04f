// Saved conversations for one workspace: a JSON file per conversation plus a small index,
// all written atomically. Nothing is read until the chat is first used.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ConversationSummary } from '../shared/protocol';
import { isStoredConversation, summarize, type StoredConversation } from './conversation';
import { setAside, writeFileAtomic } from './atomicFile';

interface HistoryIndex {
  format: 1;
  activeId?: string;
  conversations: ConversationSummary[];
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,80}$/;

export class HistoryStore {
  private index: HistoryIndex | undefined;
  /** Every operation runs after the previous one, so the index and files never race. */
  private queue: Promise<unknown> = Promise.resolve();

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
      await writeFileAtomic(this.fileOf(conversation.id), JSON.stringify(conversation));
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
    await writeFileAtomic(this.indexFile, JSON.stringify(index));
  }

  private async loadIndex(): Promise<HistoryIndex> {
    if (this.index) return this.index;
    const text = await readIfExists(this.indexFile);
    if (text !== undefined) {
      const parsed = parseJson(text);
      if (isIndex(parsed)) return (this.index = parsed);
      const movedTo = await setAside(this.indexFile);
      this.warn(`The chat history index was unreadable and was moved to ${movedTo}. Rebuilding it from the saved conversations.`);
    }
    this.index = await this.rebuildIndex();
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
    return { format: 1, conversations };
  }

  private async readConversation(id: string): Promise<StoredConversation | undefined> {
    if (!SAFE_ID.test(id)) return undefined;
    const file = this.fileOf(id);
    const text = await readIfExists(file);
    if (text === undefined) return undefined;
    const parsed = parseJson(text);
    if (isStoredConversation(parsed)) return parsed;
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isIndex(value: unknown): value is HistoryIndex {
  const v = value as Partial<HistoryIndex> | undefined;
  return !!v && v.format === 1 && Array.isArray(v.conversations) && v.conversations.every((c) => typeof c?.id === 'string' && typeof c.title === 'string');
}
