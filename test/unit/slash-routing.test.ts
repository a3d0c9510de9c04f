import * as assert from 'node:assert/strict';
import { BUILTIN_INSTRUCTIONS, runSlashCommand, type SlashDeps } from '../../src/chat/handlers/slashRouting';
import { BUILTIN_SLASH_COMMANDS } from '../../src/prompts/slashCommand';
import type { HostToWebview } from '../../src/shared/protocol';

function rig(overrides: Partial<SlashDeps> = {}) {
  const posted: HostToWebview[] = [];
  const sent: { text: string; model?: string }[] = [];
  let newChats = 0;
  const deps = {
    session: {} as SlashDeps['session'],
    prompts: {
      refresh: async () => undefined,
      commands: () => [...BUILTIN_SLASH_COMMANDS, { name: 'review', description: 'Review', source: 'promptFile' as const }],
      resolve: async (name: string) => (name === 'review' ? { prompt: 'Review src/a.ts for errors.', model: 'deepseek-ai-DeepSeek-V3' } : { error: 'nope' }),
    } as unknown as SlashDeps['prompts'],
    post: (m: HostToWebview) => {
      posted.push(m);
      return Promise.resolve(true);
    },
    hasAttachedContext: () => true,
    newChat: async () => void newChats++,
    pickCompareModels: async () => true,
    ask: async () => 'x',
    ...overrides,
  } satisfies SlashDeps;
  const run = (text: string) => runSlashCommand(deps, { type: 'send', requestId: 'r1', text }, async (t, model) => void sent.push({ text: t, ...(model ? { model } : {}) }));
  return { run, posted, sent, newChats: () => newChats };
}

describe('slash commands from the composer', () => {
  it('leaves ordinary prompts (and unknown commands, and paths) to the usual send', async () => {
    const r = rig();
    for (const text of ['how do I sort?', '/usr/bin is a path', '/unknown thing']) assert.equal(await r.run(text), false, text);
    assert.equal(r.sent.length + r.posted.length, 0);
  });

  it('a built-in asks about the attached code, with what follows it', async () => {
    const r = rig();
    assert.equal(await r.run('/explain focus on the loop'), true);
    assert.deepEqual(r.sent, [{ text: `${BUILTIN_INSTRUCTIONS.explain}\n\nfocus on the loop` }]);
  });

  it('a built-in without attached code says what to do, and sends nothing', async () => {
    const r = rig({ hasAttachedContext: () => false });
    await r.run('/fix');
    assert.equal(r.sent.length, 0);
    assert.match((r.posted[0] as { text: string }).text, /Select some code or attach a file/);
  });

  it('a prompt file is sent filled in, with its model; an error or a cancel ends the request with a message', async () => {
    const r = rig();
    await r.run('/review and the tests');
    assert.deepEqual(r.sent, [{ text: 'Review src/a.ts for errors.\n\nand the tests', model: 'deepseek-ai-DeepSeek-V3' }]);
    const cancelled = rig({ prompts: { refresh: async () => undefined, commands: () => [{ name: 'review', description: '', source: 'promptFile' }], resolve: async () => undefined } as unknown as SlashDeps['prompts'] });
    await cancelled.run('/review');
    assert.deepEqual(cancelled.posted, [{ type: 'requestRefused', requestId: 'r1', level: 'info', text: '/review was cancelled; nothing was sent.' }]);
  });

  it('/new starts a new chat; /compare picks models and sends what follows to them', async () => {
    const r = rig();
    await r.run('/new');
    assert.equal(r.newChats(), 1);
    await r.run('/compare which is faster?');
    assert.deepEqual(r.sent, [{ text: 'which is faster?' }]);
  });
});
