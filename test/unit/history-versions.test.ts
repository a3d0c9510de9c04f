// Files written by an older or a newer version of the extension: migrated, or read-only.
import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/history/historyStore';
import { newConversation, type StoredConversation } from '../../src/history/conversation';
import { migrate, type MigrationStep } from '../../src/history/migrate';

const message = (id: string, role: 'user' | 'assistant', text: string) => ({ id, role, text, createdAt: 5 });

/** What a later version might write: a higher format, renamed and extra fields. */
const NEWER = JSON.stringify({
  format: 7,
  id: 'new1',
  title: 'From the future',
  updatedAt: 9000,
  messages: [message('m1', 'user', 'hi'), { id: 'm2', role: 'tool', parts: [] }, message('m3', 'assistant', 'hello')],
  comparedAnswers: [{ model: 'x' }],
});

describe('HistoryStore across versions', () => {
  let dir: string;
  let warnings: string[];
  const open = () => new HistoryStore(dir, (m) => warnings.push(m));
  const read = (name: string) => fs.readFile(join(dir, name), 'utf8');
  const setAsideFiles = async () => (await fs.readdir(dir)).filter((n) => n.includes('.corrupt-'));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-history-v-'));
    warnings = [];
  });

  it('leaves a newer-format conversation in place byte-for-byte, lists it and opens it read-only', async () => {
    await fs.writeFile(join(dir, 'new1.json'), NEWER);
    const store = open();
    assert.deepEqual(await store.list(), [{ id: 'new1', title: 'From the future', updatedAt: 9000, messageCount: 2 }]);
    const loaded = await store.load('new1');
    assert.equal(loaded?.readOnly, true);
    assert.deepEqual(loaded?.messages.map((m) => m.text), ['hi', 'hello']);
    await store.load('new1');
    assert.equal(warnings.length, 1, 'one warning per file');
    assert.match(warnings[0], /newer version of ModelsLab Coder/);
    assert.match(warnings[0], /[Uu]pdate/);
    assert.equal(await read('new1.json'), NEWER);
    assert.deepEqual(await setAsideFiles(), []);
  });

  it('refuses to save (or rename) a read-only conversation and keeps the file', async () => {
    await fs.writeFile(join(dir, 'new1.json'), NEWER);
    const store = open();
    const loaded = (await store.load('new1'))!;
    loaded.title = 'Renamed';
    await assert.rejects(store.save(loaded), /newer version of ModelsLab Coder.*read-only/);
    assert.equal(await read('new1.json'), NEWER);
    assert.equal((await store.list())[0].title, 'From the future');
  });

  it('never overwrites a file that a newer version wrote after it was loaded here', async () => {
    const store = open();
    const c = newConversation('race1', 1);
    await store.save(c);
    await fs.writeFile(join(dir, 'race1.json'), NEWER);
    c.title = 'Changed here';
    await assert.rejects(store.save(c), /newer version/);
    assert.equal(await read('race1.json'), NEWER);
  });

  it('deletes a newer-format conversation when the user asks to', async () => {
    await fs.writeFile(join(dir, 'new1.json'), NEWER);
    const store = open();
    await store.delete('new1');
    assert.deepEqual(await store.list(), []);
    await assert.rejects(fs.stat(join(dir, 'new1.json')));
  });

  it('does not set aside or overwrite a newer-format index; rebuilds the list in memory', async () => {
    const older = open();
    await older.save(conversation('k1', 'Kept', 5));
    const index = JSON.stringify({ format: 3, activeId: 'k1', conversations: [{ id: 'k1', name: 'renamed field' }], pinned: ['k1'] });
    await fs.writeFile(join(dir, 'index.json'), index);
    const store = open();
    assert.deepEqual((await store.list()).map((c) => c.title), ['Kept']);
    assert.equal(await store.activeId(), 'k1');
    await store.save(conversation('k2', 'Added', 6));
    await store.setActive(undefined);
    assert.deepEqual((await store.list()).map((c) => c.title), ['Added', 'Kept']);
    assert.equal(await read('index.json'), index);
    assert.deepEqual(await setAsideFiles(), []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /index .*newer version of ModelsLab Coder/);
  });

  it('migrates a format-0 conversation (no format field) on load and saves it back as the current format', async () => {
    const legacy = JSON.stringify({ id: 'old1', messages: [{ id: 'u', role: 'user', text: 'Explain the parser\nplease' }, message('a', 'assistant', 'Sure')] });
    await fs.writeFile(join(dir, 'old1.json'), legacy);
    const store = open();
    assert.deepEqual(await store.list(), [{ id: 'old1', title: 'Explain the parser', updatedAt: 5, messageCount: 2 }]);
    const loaded = (await store.load('old1'))!;
    assert.equal(loaded.format, 1);
    assert.equal(loaded.readOnly, undefined);
    assert.equal(await read('old1.json'), legacy, 'loading alone does not rewrite the file');
    await store.save(loaded);
    const saved = JSON.parse(await read('old1.json'));
    assert.equal(saved.format, 1);
    assert.equal(saved.title, 'Explain the parser');
    assert.equal(saved.createdAt, 5);
    assert.equal(saved.messages[0].createdAt, 5);
    assert.ok(!('readOnly' in saved));
    assert.deepEqual(warnings, []);
    assert.deepEqual(await setAsideFiles(), []);
  });

  it('migrates a format-0 index and writes it back as the current format on the next change', async () => {
    await open().save(conversation('k1', 'Kept', 5));
    await fs.writeFile(join(dir, 'index.json'), JSON.stringify({ activeId: 'k1', conversations: [{ id: 'k1', title: 'Kept' }] }));
    const store = open();
    assert.deepEqual(await store.list(), [{ id: 'k1', title: 'Kept', updatedAt: 0, messageCount: 0 }]);
    assert.equal(await store.activeId(), 'k1');
    await store.setActive('k1');
    assert.equal(JSON.parse(await read('index.json')).format, 1);
    assert.deepEqual(warnings, []);
    assert.deepEqual(await setAsideFiles(), []);
  });

  for (const [what, text] of [
    ['unparseable JSON', '{"format":1,"id":"bad1", trunc'],
    ['a wrong shape at the current format', JSON.stringify({ format: 1, id: 'bad1', title: 't', updatedAt: 1, messages: 'none' })],
    ['a wrong shape at format 0', JSON.stringify({ id: 'bad1', messages: [{ role: 'user' }] })],
    ['a format that is not a whole number', JSON.stringify({ format: '2', id: 'bad1', title: 't', updatedAt: 1, messages: [] })],
    ['not an object', '[1, 2]'],
  ]) {
    it(`still sets aside a corrupt conversation: ${what}`, async () => {
      await fs.writeFile(join(dir, 'bad1.json'), text);
      const store = open();
      assert.equal(await store.load('bad1'), undefined);
      assert.equal((await setAsideFiles()).length, 1);
      assert.match(warnings[0], /could not be read and was moved/);
    });
  }
});

describe('migrate', () => {
  const steps: MigrationStep[] = [(f) => ({ ...f, trail: 'a' }), (f) => ({ ...f, trail: `${f.trail ?? ''}b` }), (f) => ({ ...f, trail: `${f.trail}c` })];
  const any = (v: unknown): v is Record<string, unknown> => v !== undefined;

  it('applies the steps in order from the file’s format; no format means 0', () => {
    assert.deepEqual(migrate({}, steps, any), { kind: 'current', value: { format: 3, trail: 'abc' } });
    assert.deepEqual(migrate({ format: 1 }, steps, any), { kind: 'current', value: { format: 3, trail: 'bc' } });
    assert.deepEqual(migrate({ format: 3, trail: 'x' }, steps, any), { kind: 'current', value: { format: 3, trail: 'x' } });
  });

  it('returns a newer file untouched and rejects what has no usable format', () => {
    const newer = { format: 4, x: 1 };
    assert.deepEqual(migrate(newer, steps, any), { kind: 'newer', format: 4, value: newer });
    for (const bad of [null, [], 'text', { format: -1 }, { format: 1.5 }, { format: '2' }]) assert.equal(migrate(bad, steps, any).kind, 'corrupt');
    assert.equal(migrate({}, steps, (v): v is never => v === Symbol.for('never')).kind, 'corrupt');
  });
});

function conversation(id: string, title: string, updatedAt: number): StoredConversation {
  const c = newConversation(id, updatedAt);
  c.title = title;
  c.messages.push({ id: `${id}-u`, role: 'user', text: 'question', createdAt: updatedAt });
  return c;
}
