// What the local server answers in the demo: a realistic answer that shows markdown,
// a highlighted code block with its actions, and a list.
export const DEMO_REPLY = `Here is a cleaner version of \`average\`. It avoids the manual index loop and guards the empty case, which currently returns \`NaN\`:

\`\`\`ts
export function average(values: readonly number[]): number {
  if (values.length === 0) {
    throw new RangeError('average() needs at least one value');
  }
  const total = values.reduce((sum, value) => sum + value, 0);
  return total / values.length;
}
\`\`\`

**What changed**
1. \`reduce\` replaces the index loop, so there is no off-by-one risk.
2. An empty array now fails loudly instead of returning \`NaN\`.
3. The parameter is \`readonly\`, which documents that the input is not mutated.

> Tip: use the buttons on the code block to copy it, insert it at the cursor, or apply it to the editor through a diff.
`;
