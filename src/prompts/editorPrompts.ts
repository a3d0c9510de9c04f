// Prompts for the editor actions. Each carries the file's language and path and the lines
// around the selection, so the model sees the code where it lives.
import type { ChatMessage } from '../llm/types';
import { systemPrompt } from './chatPrompt';
import { fenceFor } from './text';

export interface SelectionContext {
  path: string;
  languageId: string;
  code: string;
  startLine: number;
  endLine: number;
  before: string;
  after: string;
  /** Set when the code was cut to the budget (explain/ask only). */
  truncatedNotice?: string;
}

export interface DiagnosticInfo {
  line: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
}

export type RewriteKind = 'refactor' | 'fix' | 'document';

export const DEFAULT_REFACTOR_INSTRUCTION = 'Improve readability; keep the behaviour exactly the same.';

export function describeSelection(s: SelectionContext): string {
  const f = fenceFor(s.code + s.before + s.after);
  const parts = [`File: ${s.path} (language: ${s.languageId}), lines ${s.startLine}-${s.endLine}.`];
  if (s.truncatedNotice) parts.push(`Note: ${s.truncatedNotice}`);
  if (s.before.trim()) parts.push(`Code just before the selection:\n${f}${s.languageId}\n${s.before}\n${f}`);
  parts.push(`The selected code:\n${f}${s.languageId}\n${s.code}\n${f}`);
  if (s.after.trim()) parts.push(`Code just after the selection:\n${f}${s.languageId}\n${s.after}\n${f}`);
  return parts.join('\n\n');
}

/** What the chat shows as the user's prompt for an explain/ask, and the context the model gets. */
export function explainRequest(s: SelectionContext, question?: string): { prompt: string; context: string } {
  return {
    prompt: question?.trim() || 'Explain what this code does, step by step, and point out anything surprising or risky.',
    context: describeSelection(s),
  };
}

const REWRITE_RULES = [
  'Reply with ONLY the replacement for the selected code, in one fenced code block, with no explanation before or after.',
  'The replacement must fit exactly where the selection was: keep its indentation style, do not repeat the surrounding code, do not add imports elsewhere.',
].join(' ');

export function rewriteMessages(kind: RewriteKind, s: SelectionContext, options: { instruction?: string; diagnostics?: DiagnosticInfo[]; userInstructions?: string }): ChatMessage[] {
  let task: string;
  switch (kind) {
    case 'refactor':
      task = `Rewrite the selected code. Instruction: ${options.instruction?.trim() || DEFAULT_REFACTOR_INSTRUCTION}`;
      break;
    case 'fix': {
      const problems = (options.diagnostics ?? []).map((d) => `- line ${d.line} ${d.severity}${d.source ? ` (${d.source})` : ''}: ${d.message}`);
      task = problems.length
        ? `Fix these problems reported in the selected code, changing nothing else:\n${problems.join('\n')}`
        : 'Find and fix the bugs in the selected code, changing nothing else.';
      break;
    }
    case 'document':
      task = `Add documentation comments to the selected code in the idiomatic style for ${s.languageId} (for example JSDoc/TSDoc for TypeScript and JavaScript, docstrings for Python, /// for Rust and C#, Javadoc for Java, GoDoc for Go). Do not change the code itself.`;
      break;
  }
  return [
    { role: 'system', content: `${systemPrompt(options.userInstructions ?? '')}\n\n${REWRITE_RULES}` },
    { role: 'user', content: `${task}\n\n${describeSelection(s)}` },
  ];
}

export function testMessages(s: SelectionContext, framework: string | undefined, userInstructions = ''): ChatMessage[] {
  const using = framework ? `using ${framework}, the test framework this workspace already uses` : `using the most common test framework for ${s.languageId}`;
  return [
    { role: 'system', content: `${systemPrompt(userInstructions)}\n\nReply with ONLY a complete test file in one fenced code block.` },
    {
      role: 'user',
      content: `Write thorough unit tests for the selected code, ${using}. Cover normal cases, edge cases and errors. Import the code under test from ${s.path}.\n\n${describeSelection(s)}`,
    },
  ];
}
