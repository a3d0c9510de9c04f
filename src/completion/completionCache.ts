// Ghost text suggestions already paid for. A suggestion is kept under the text around the cursor
// when it was asked (the prefix's tail, the suffix's head), so going back there, or typing the
// very characters it suggested, shows it again without another request.

export interface CompletionCacheOptions {
  /** Entries kept, least recently used dropped first. Default 200. */
  maxEntries?: number;
  /** How much of the text before the cursor identifies a place. Default 2000. */
  prefixChars?: number;
  /** How much of the text after the cursor identifies a place. Default 500. */
  suffixChars?: number;
}

interface Entry {
  docKey: string;
  /** The prefix's last `prefixChars` characters (the whole prefix when `whole`). */
  prefixTail: string;
  /** The prefix was shorter than `prefixChars`: it must match from the document's start. */
  whole: boolean;
  suffixHead: string;
  suggestion: string;
}

export class CompletionCache {
  private readonly maxEntries: number;
  private readonly prefixChars: number;
  private readonly suffixChars: number;
  /** Insertion order = recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: CompletionCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 200);
    this.prefixChars = Math.max(1, options.prefixChars ?? 2000);
    this.suffixChars = Math.max(0, options.suffixChars ?? 500);
  }

  get size(): number {
    return this.entries.size;
  }

  store(docKey: string, prefix: string, suffix: string, suggestion: string): void {
    const entry = this.entryFor(docKey, prefix, suffix, suggestion);
    const key = keyOf(entry);
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /**
   * The suggestion for this place: an exact hit (possibly '', "the model had nothing here"), or
   * the rest of a suggestion the user has been typing through since it was asked for. A
   * suggestion typed to its very end is no hit: what comes after it is worth a new request.
   * undefined = nothing known.
   */
  lookup(docKey: string, prefix: string, suffix: string): string | undefined {
    const probe = this.entryFor(docKey, prefix, suffix, '');
    const exact = this.entries.get(keyOf(probe));
    if (exact) {
      this.touch(exact);
      return exact.suggestion;
    }
    // Most recently used first: the freshest suggestion wins when two would fit.
    for (const entry of [...this.entries.values()].reverse()) {
      if (entry.docKey !== docKey || entry.suffixHead !== probe.suffixHead || !entry.suggestion) continue;
      const typed = typedThrough(entry, prefix);
      if (typed === undefined) continue;
      this.touch(entry);
      return entry.suggestion.slice(typed);
    }
    return undefined;
  }

  /** Drops a document's entries (it closed), or everything. */
  clear(docKey?: string): void {
    if (docKey === undefined) return this.entries.clear();
    for (const [key, entry] of this.entries) if (entry.docKey === docKey) this.entries.delete(key);
  }

  private entryFor(docKey: string, prefix: string, suffix: string, suggestion: string): Entry {
    return {
      docKey,
      prefixTail: prefix.slice(-this.prefixChars),
      whole: prefix.length <= this.prefixChars,
      suffixHead: suffix.slice(0, this.suffixChars),
      suggestion,
    };
  }

  private touch(entry: Entry): void {
    const key = keyOf(entry);
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}

function keyOf(entry: Entry): string {
  // JSON keeps the parts apart whatever characters they hold.
  return JSON.stringify([entry.docKey, entry.whole, entry.prefixTail, entry.suffixHead]);
}

/**
 * How many characters of `entry.suggestion` the user has typed since it was asked for, when
 * `prefix` is the entry's prefix followed by the start of its suggestion (at least one character,
 * and not all of it). undefined when it is not.
 */
function typedThrough(entry: Entry, prefix: string): number | undefined {
  const { prefixTail, suggestion } = entry;
  /** The user typed `prefix` after the old prefix ended at `end`: part of the suggestion, not all of it? */
  const typedAfter = (end: number): number | undefined => {
    const typed = prefix.length - end;
    return typed > 0 && typed < suggestion.length && suggestion.startsWith(prefix.slice(end)) ? typed : undefined;
  };
  if (entry.whole) return prefix.startsWith(prefixTail) ? typedAfter(prefixTail.length) : undefined;
  // Each place the old prefix's tail could end, nearest the cursor first; usually there is one.
  const earliestEnd = prefix.length - suggestion.length + 1;
  for (let at = prefix.lastIndexOf(prefixTail, prefix.length - prefixTail.length - 1); at >= 0 && at + prefixTail.length >= earliestEnd; at = at === 0 ? -1 : prefix.lastIndexOf(prefixTail, at - 1)) {
    const typed = typedAfter(at + prefixTail.length);
    if (typed !== undefined) return typed;
  }
  return undefined;
}
