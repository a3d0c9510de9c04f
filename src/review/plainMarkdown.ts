// Model output put into Markdown (a comment thread's body) must read as the text it is: no
// links, images, HTML, headings, lists or code made from the reviewer's words. CommonMark
// renders a backslash before any ASCII punctuation as that character, so escaping all of it
// leaves no syntax at all; it also keeps bare URLs and e-mail addresses from turning into
// links (their ":" "." "@" are escaped). Control and bidi characters are dropped: they can
// hide or reorder what the user reads.

const ASCII_PUNCTUATION = /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g;
// C0 and C1 controls (newlines and tabs are handled as whitespace first), bidi marks and overrides.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` as Markdown that renders as exactly that text. Paragraphs (separated by blank lines)
 * stay paragraphs; the lines inside one are joined with spaces (an indented line would
 * otherwise become a code block).
 */
export function plainMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/[\t\n]/g, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => paragraph.replace(ASCII_PUNCTUATION, '\\$&'))
    .join('\n\n');
}
