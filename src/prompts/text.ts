// Small text helpers that prompts, attachments and editor actions share.

/** A code fence that the code itself cannot close early. */
export function fenceFor(code: string): string {
  return code.includes('```') ? '~~~~' : '```';
}

/** The last segment of a path, with either separator. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** How much of a file is looked at to decide whether it is binary. */
const BINARY_SNIFF_LENGTH = 8000;

/** True when the start of the content holds a NUL: text files never do. */
export function looksBinary(content: string | Uint8Array): boolean {
  return typeof content === 'string' ? content.slice(0, BINARY_SNIFF_LENGTH).includes('\u0000') : content.subarray(0, BINARY_SNIFF_LENGTH).includes(0);
}
