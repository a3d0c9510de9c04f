// Which model writes ghost text when the user named none: the fastest Qwen-Coder in the
// catalogue. Speed follows size, so the smallest coder model wins (7B before 14B before 32B).
import { DEFAULT_MODEL } from '../llm/defaults';

export function fastestCoderModel(ids: readonly string[]): string {
  const coders = ids.filter((id) => /qwen/i.test(id) && /coder/i.test(id));
  if (coders.length === 0) return DEFAULT_MODEL;
  const size = (id: string) => Number(/(\d+(?:\.\d+)?)\s*b\b/i.exec(id.replace(/[-_/]/g, ' '))?.[1] ?? Infinity);
  return [...coders].sort((a, b) => size(a) - size(b) || a.localeCompare(b))[0];
}
