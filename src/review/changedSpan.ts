// Where two versions of a text differ, by whole lines: the lines the two share at the start
// and at the end are left out. The review prompt shows the reviewer this span, and the verdict
// is shown where the diff editor opens (its first change).

export interface ChangedSpan {
  /** 1-based first changed line in the original; `originalEnd` < this when lines were only added. */
  originalStart: number;
  originalEnd: number;
  /** 1-based first changed line in the proposed text; `proposedEnd` < this when lines were only removed. */
  proposedStart: number;
  proposedEnd: number;
}

/** Lines as an editor numbers them: CRLF or LF, and a final newline opens one more (empty) line. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The changed span, or undefined when the texts are the same line for line. */
export function changedSpan(original: string, proposed: string): ChangedSpan | undefined {
  const a = splitLines(original);
  const b = splitLines(proposed);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  if (head === a.length && head === b.length) return undefined;
  let tail = 0;
  // The shared tail may not reach back into the shared head.
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { originalStart: head + 1, originalEnd: a.length - tail, proposedStart: head + 1, proposedEnd: b.length - tail };
}
