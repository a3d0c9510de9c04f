import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/history/historyStore';
import { conversationToMarkdown, newConversation, titleFromPrompt, type StoredConversation } from '../../src/history/conversation';

function conversation(id: string, title: string, updatedAt: number): StoredConversation {
  const c = newConversation(id, updatedAt);
  c.title = title;
  c.messages.push({ id: `${id}-u`, role: 'user', text: 'question', createdAt: updatedAt });
  c.messages.push({ id: `${id}-a`, role: 'assistant', text: 'answer', createdAt: updatedAt, model: 'm', status: 'done' });
  return c;
}

describe('HistoryStore', () => {
  let dir: string;
  let warnings: string[];
  let store: HistoryStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-history-'));
    warnings = [];
    store = new HistoryStore(dir, (m) => warnings.push(m));
  });

  it('saves, lists newest first, loads and survives a new store instance (a restart)', async () => {
    await store.save(conversation('a1', 'First', 1000));
    await store.save(conversation('b2', 'Second', 2000));
    const reopened = new HistoryStore(dir, (m) => warnings.push(m));
    assert.deepEqual((await reopened.list()).map((c) => c.title), ['Second', 'First']);
    assert.equal(await reopened.activeId(), 'b2');
    assert.equal((await reopened.load('a1'))?.messages[1].text, 'answer');
    assert.deepEqual(warnings, []);
  });

  it('writes atomically: no temp files are left and the file is always complete JSON', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(conversation('c3', `v${i}`, i))));
    const names = await fs.readdir(dir);
    assert.deepEqual(names.sort(), ['c3.json', 'index.json']);
    assert.equal(JSON.parse(await fs.readFile(join(dir, 'c3.json'), 'utf8')).title, 'v19');
  });

  it('sets a corrupt conversation aside with a warning, keeping the rest', async () => {
    await store.save(conversation('good1', 'Good', 1));
    await store.save(conversation('bad22', 'Bad', 2));
    await fs.writeFile(join(dir, 'bad22.json'), '{"format":1,"id":"bad22", trunc');
    const reopened = new HistoryStore(dir, (m) => warnings.push(m));
    assert.equal(await reopened.load('bad22'), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /moved to .*bad22\.json\.corrupt-/);
    assert.ok((await fs.readdir(dir)).some((n) => n.startsWith('bad22.json.corrupt-')), 'the file is kept, not wiped');
    assert.deepEqual((await reopened.list()).map((c) => c.id), ['good1']);
  });

  it('rebuilds a corrupt index from the conversation files', async () => {
    await store.save(conversation('k1', 'Kept', 5));
    await fs.writeFile(join(dir, 'index.json'), 'not json at all');
    const reopened = new HistoryStore(dir, (m) => warnings.push(m));
    assert.deepEqual((await reopened.list()).map((c) => c.title), ['Kept']);
    assert.match(warnings[0], /index was unreadable/);
  });

  it('deletes a conversation and clears it as active', async () => {
    await store.save(conversation('d1', 'Doomed', 5));
    await store.delete('d1');
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.activeId(), undefined);
    await assert.rejects(fs.stat(join(dir, 'd1.json')));
  });

  it('refuses ids that could escape the folder', async () => {
    await assert.rejects(store.save(conversation('../evil', 'x', 1)), /Invalid conversation id/);
    assert.equal(await store.load('../../etc/passwd'), undefined);
  });
});

describe('conversation helpers', () => {
  it('titles a conversation from the first line of the first prompt, cut at a word', () => {
    assert.equal(titleFromPrompt('\n  Fix the bug in parser.ts\nmore'), 'Fix the bug in parser.ts');
    const long = titleFromPrompt('Please explain in great detail how the incremental markdown renderer freezes blocks');
    assert.ok(long.length <= 61 && long.endsWith('…'), long);
  });

  it('exports as Markdown with roles, models and an incomplete marker', () => {
    const c = conversation('e1', 'Export me', 1);
    c.messages[1].status = 'incomplete';
    c.messages[0].contextLabels = ['math.ts:1-3'];
    const md = conversationToMarkdown(c);
    assert.match(md, /^# Export me/);
    assert.match(md, /## You\n\n_Context: math\.ts:1-3_\n\nquestion/);
    assert.match(md, /## m\n\nanswer\n\n_\(incomplete answer\)_/);
  });
});
