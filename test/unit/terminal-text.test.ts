import * as assert from 'node:assert/strict';
import { EXPLAIN_TERMINAL_PROMPT, keepTail, stripAnsi, terminalRequest } from '../../src/prompts/terminalText';

const ESC = '\u001b';

describe('terminal text', () => {
  it('strips colours, cursor moves and private modes', () => {
    assert.equal(stripAnsi(`${ESC}[1;31merror${ESC}[0m: ${ESC}[38;5;208mbad${ESC}[m thing${ESC}[K`), 'error: bad thing');
    assert.equal(stripAnsi(`${ESC}[?25l${ESC}[2J${ESC}[Hready${ESC}[?25h`), 'ready');
    assert.equal(stripAnsi('\u009b32mgreen\u009b0m'), 'green');
  });

  it('strips OSC strings: titles, hyperlinks and shell integration marks, ended by BEL or ST', () => {
    const text = `${ESC}]0;user@host: ~\u0007${ESC}]633;C\u0007${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\ done${ESC}]633;D;1\u0007`;
    assert.equal(stripAnsi(text), 'link done');
  });

  it('strips other escapes and stray control characters, and an escape cut off at the end', () => {
    assert.equal(stripAnsi(`${ESC}(B${ESC}=${ESC}7a\u0007b\u0000c${ESC}8${ESC}]0;unterminated title`), 'abc');
    assert.equal(stripAnsi(`tab\tkept${ESC}`), 'tab\tkept');
  });

  it('settles carriage returns and backspaces as the terminal shows them', () => {
    assert.equal(stripAnsi('progress 10%\rprogress 55%\rprogress 100%\r\ndone\r\n'), 'progress 100%\ndone\n');
    assert.equal(stripAnsi('abcdef\rXY'), 'XYcdef');
    assert.equal(stripAnsi('abx\bc'), 'abc');
    assert.equal(stripAnsi('abc\b \b'), 'ab', 'line editing erases with backspace, space, backspace');
    assert.equal(stripAnsi('\b\bstart'), 'start');
    assert.equal(stripAnsi('line\r\n'), 'line\n');
  });

  it('keeps the end of a long output, from a line start, with a notice', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const cut = keepTail(text, 100, 'The output');
    assert.equal(cut.truncated, true);
    assert.ok(cut.text.endsWith('line 99') && cut.text.length <= 100);
    assert.match(cut.text, /^line \d+\n/);
    assert.match(cut.notice ?? '', /^The output was cut to its last \d+ characters of .* to fit the context budget\.$/);
    assert.deepEqual(keepTail('short', 100, 'x'), { text: 'short', truncated: false, originalLength: 5 });
  });

  it('asks about a command and its output, ANSI-free, fenced and labelled with the command and its exit code', () => {
    const { prompt, context } = terminalRequest(
      { terminalName: 'bash', text: `${ESC}[31mnpm ERR!${ESC}[0m missing script: tset\r\n`, command: { line: 'npm run tset', exitCode: 1, running: false } },
      10_000,
    );
    assert.equal(prompt, EXPLAIN_TERMINAL_PROMPT);
    assert.equal(context.text, 'The last command in the terminal "bash" and its output (exit code 1):\n```console\n$ npm run tset\nnpm ERR! missing script: tset\n```');
    assert.deepEqual(context.labels, ['Terminal: npm run tset']);
  });

  it('says when a command is still running, has no exit code or printed nothing', () => {
    const running = terminalRequest({ terminalName: 'zsh', text: '', command: { line: 'sleep 100', running: true } }, 1_000);
    assert.match(running.context.text ?? '', /\(still running\):\n```console\n\$ sleep 100\n\(no output\)\n```$/);
    const unknown = terminalRequest({ terminalName: 'zsh', text: 'x', command: { line: 'ls', running: false } }, 1_000);
    assert.match(unknown.context.text ?? '', /\(exit code unknown\)/);
  });

  it('cuts a long output from the front (errors come last) and says so', () => {
    const output = `${'noise\n'.repeat(5_000)}Error: the real problem`;
    const { context } = terminalRequest({ terminalName: 'bash', text: output, command: { line: 'make', exitCode: 2, running: false } }, 2_000);
    assert.ok((context.text ?? '').includes('Error: the real problem'));
    assert.match(context.text ?? '', /\(Note: The output was cut to its last .* to fit the context budget\.\)/);
    assert.ok((context.text ?? '').length < 2_300);
  });

  it('sends a selection as text, cut from the end like other attachments, in a fence its backticks cannot close', () => {
    const { context } = terminalRequest({ terminalName: 'pwsh', text: 'PS> echo ```\n```\n' }, 1_000);
    assert.equal(context.text, 'Text selected in the terminal "pwsh":\n~~~~text\nPS> echo ```\n```\n~~~~');
    assert.deepEqual(context.labels, ['Terminal selection (pwsh)']);
    const long = terminalRequest({ terminalName: 'bash', text: 'first line\n'.repeat(500) }, 500);
    assert.match(long.context.text ?? '', /\(Note: The selection was cut to .* to fit the context budget\.\)/);
  });
});
