import * as assert from 'node:assert/strict';
import type { SlashCommandView } from '../../src/shared/protocol';
import { BUILTIN_SLASH_COMMANDS, isBuiltinSlashCommand, parseSlashCommand, promptFileCommands, slashCommandList } from '../../src/prompts/slashCommand';

const KNOWN: SlashCommandView[] = [...BUILTIN_SLASH_COMMANDS, { name: 'review-pr', description: 'Review', source: 'promptFile' }];

describe('slash commands', () => {
  it('the built-ins are explain, fix, doc, tests, new and compare, each with a description', () => {
    assert.deepEqual(
      BUILTIN_SLASH_COMMANDS.map((c) => c.name),
      ['explain', 'fix', 'doc', 'tests', 'new', 'compare'],
    );
    for (const command of BUILTIN_SLASH_COMMANDS) {
      assert.equal(command.source, 'builtin');
      assert.ok(command.description.length > 5, command.name);
    }
    assert.equal(isBuiltinSlashCommand('fix'), true);
    assert.equal(isBuiltinSlashCommand('review-pr'), false);
  });

  it('reads the name and the rest, trimmed, over several lines too', () => {
    assert.deepEqual(parseSlashCommand('/explain', KNOWN), { name: 'explain', source: 'builtin', rest: '' });
    assert.deepEqual(parseSlashCommand('/fix   the off-by-one  ', KNOWN), { name: 'fix', source: 'builtin', rest: 'the off-by-one' });
    assert.deepEqual(parseSlashCommand('  /review-pr\nline one\nline two\n', KNOWN), { name: 'review-pr', source: 'promptFile', rest: 'line one\nline two' });
  });

  it('anything else is plain text', () => {
    for (const text of ['explain this', '/', '/ explain', '/unknown thing', '/usr/bin is where', '/explain/x', '/Explain', 'see /explain', '/explain,']) {
      assert.equal(parseSlashCommand(text, KNOWN), undefined, text);
    }
  });

  it('only the known list counts: a prompt file that is gone is plain text', () => {
    assert.equal(parseSlashCommand('/review-pr', BUILTIN_SLASH_COMMANDS), undefined);
  });

  it('prompt files keep their names; the menu lists the built-ins first, then the prompt files by name', () => {
    const commands = promptFileCommands([
      { name: 'review', description: 'Review it' },
      { name: 'Changelog', description: 'Write one' },
      { name: 'add-tests', description: 'More tests' },
    ]);
    assert.deepEqual(commands, [
      { name: 'review', description: 'Review it', source: 'promptFile' },
      { name: 'Changelog', description: 'Write one', source: 'promptFile' },
      { name: 'add-tests', description: 'More tests', source: 'promptFile' },
    ]);
    assert.deepEqual(
      slashCommandList(commands).map((c) => c.name),
      ['explain', 'fix', 'doc', 'tests', 'new', 'compare', 'add-tests', 'Changelog', 'review'],
    );
  });

  it('a prompt file named like a built-in is renamed, and says so; the built-in keeps its name', () => {
    const [explain] = promptFileCommands([{ name: 'explain', description: 'Our way' }]);
    assert.deepEqual(explain, { name: 'explain-2', description: 'Our way (renamed, /explain is built in)', source: 'promptFile' });
    assert.equal(parseSlashCommand('/explain', slashCommandList([explain]))?.source, 'builtin');
  });

  it('the same name in a second folder is renamed, never onto a name another file has', () => {
    const commands = promptFileCommands([
      { name: 'review', description: 'A', folder: 'api' },
      { name: 'review', description: 'B', folder: 'web' },
      { name: 'review-2', description: 'C', folder: 'web' },
      { name: 'new', description: 'D', folder: 'web' },
    ]);
    assert.deepEqual(
      commands.map((c) => [c.name, c.description]),
      [
        ['review', 'A'],
        ['review-3', 'B (web: renamed, /review is taken by another prompt file)'],
        ['review-2', 'C'],
        ['new-2', 'D (web: renamed, /new is built in)'],
      ],
    );
    assert.equal(new Set(slashCommandList(commands).map((c) => c.name)).size, 10, 'every name in the menu is unique');
  });
});
