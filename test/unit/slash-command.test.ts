import * as assert from 'node:assert/strict';
import type { SlashCommandView } from '../../src/shared/protocol';
import { BUILTIN_SLASH_COMMANDS, isBuiltinSlashCommand, parseSlashCommand } from '../../src/prompts/slashCommand';

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
});
