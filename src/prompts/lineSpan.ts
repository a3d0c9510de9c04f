/** A range's 1-based lines; a selection that ends at the start of a line does not include that line. */
export function lineSpan(range: { start: { line: number; character: number }; end: { line: number; character: number } }): { start: number; end: number } {
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return { start: range.start.line + 1, end: endLine + 1 };
}
