// Levenshtein distance (insert, delete, substitute; each costs 1) over UTF-16 code units, and
// the edit similarity the completion eval reports. O(n·m) time, O(min(n, m)) memory.

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // Keep the shorter string in the row: memory is one row of its length + 1.
  if (a.length < b.length) [a, b] = [b, a];
  const m = b.length;
  if (m === 0) return a.length;
  const row = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]; // the cell above-left: distance(a[0..i-1), b[0..j-1))
    row[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const above = row[j];
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[m];
}

/** 1 − distance / the longer length: 1 for equal strings (two empty ones too), 0 for nothing in common. */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - levenshtein(a, b) / longer;
}
