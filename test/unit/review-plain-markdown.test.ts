import * as assert from 'node:assert/strict';
import { plainMarkdown } from '../../src/review/plainMarkdown';

const ESCAPED = /\\([\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e])/g;
const PUNCTUATION = /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/;

/** What CommonMark shows for `markdown` made only of text and backslash escapes. */
function rendered(markdown: string): string {
  return markdown.replace(ESCAPED, '$1');
}

/** `markdown` without its escapes: any punctuation left would be Markdown syntax. */
function unescaped(markdown: string): string {
  return markdown.replace(ESCAPED, '');
}

describe('plain Markdown from model output', () => {
  it('escapes every ASCII punctuation mark, so the text renders as itself', () => {
    const text = 'values.length may be 0, and `avg` is then NaN (see #3) — 100% *sure* & <certain>!';
    const markdown = plainMarkdown(text);
    assert.equal(markdown, 'values\\.length may be 0\\, and \\`avg\\` is then NaN \\(see \\#3\\) — 100\\% \\*sure\\* \\& \\<certain\\>\\!');
    assert.equal(rendered(markdown), text);
    assert.doesNotMatch(unescaped(markdown), PUNCTUATION, 'no punctuation left unescaped');
  });

  it('no links, images, autolinks, HTML, command links or theme icons survive as syntax', () => {
    const hostile = [
      '[click](command:workbench.action.terminal.new)',
      '![x](https://evil.example/pixel.png)',
      '<https://evil.example>',
      'https://evil.example/path and www.evil.example and someone@evil.example',
      '<img src=x onerror=alert(1)> &lt;b&gt;',
      '$(alert) [ref]: https://evil.example',
    ].join(' ');
    const markdown = plainMarkdown(hostile);
    assert.doesNotMatch(unescaped(markdown), PUNCTUATION, 'no syntax: every bracket, <, :, @, & and $ is escaped');
    assert.ok(markdown.includes('\\[click\\]\\(command\\:') && markdown.includes('https\\:\\/\\/evil\\.example') && markdown.includes('www\\.evil'));
    assert.equal(rendered(markdown), hostile, 'the user still reads what the reviewer wrote');
  });

  it('keeps paragraphs, joins lines inside one, and leaves no block syntax at a line start', () => {
    const markdown = plainMarkdown('# Title\n    indented code\n- item\n\n\n1. first\r\n> quoted\n\n   \n===');
    assert.equal(markdown, '\\# Title indented code \\- item\n\n1\\. first \\> quoted\n\n\\=\\=\\=');
  });

  it('drops control and bidi characters that hide or reorder text, and empty input is empty', () => {
    assert.equal(plainMarkdown('safe\u202e txt.exe\u0007\u200f'), 'safe txt\\.exe');
    assert.equal(plainMarkdown('  \n\n \t '), '');
  });
});
