// What activate() hands to other extensions. In normal use: nothing. Any installed extension
// can read `exports`, and the objects the tests need (the session, the connection) lead to a
// client holding the user's key, so they are handed out only to the extension's own tests.
import type { ChatSession } from './chat/chatSession';
import type { ChatViewProvider } from './chat/chatViewProvider';
import type { AnswerRunner } from './llm/answerRunner';
import type { Connection } from './platform/connection';
import type { ModelSelection } from './platform/modelSelection';
import type { ProposedEdits } from './workspace/proposedEdits';
import type { PendingEdits } from './participant/pendingEdits';
import type { SecondOpinion } from './workspace/secondOpinion';
import type { ComparePanel } from './chat/comparePanel';
import type { ProjectRules } from './rules/projectRules';
import type { PromptFileStore } from './workspace/promptFileStore';
import type { GhostTextProvider } from './completion/inlineProvider';
import type { CompletionEngine } from './completion/completionEngine';

/** Used by the integration tests and benchmarks to observe the extension. */
export interface ModelsLabTestApi {
  /** How long activate() itself took, in milliseconds (reported by the startup benchmark). */
  activationMs: number;
  session: ChatSession;
  connection: Connection;
  proposals: ProposedEdits;
  runner: AnswerRunner;
  models: ModelSelection;
  chatView: ChatViewProvider;
  /** @modelslab's request handler, as VS Code's chat calls it (request, context, stream, token). */
  chatParticipant: (request: unknown, context: unknown, stream: unknown, token: unknown) => Promise<unknown>;
  pendingEdits: PendingEdits;
  /** Review with Another Model: the review on screen (`current`) and where its marks show. */
  secondOpinion: SecondOpinion;
  /** The comparison view: the comparison on screen (`current`). */
  comparePanel: ComparePanel;
  /** The workspace's prompt files as slash commands. */
  promptFiles: PromptFileStore;
  /** Project rules: the workspace's rule files, their switches, the system-prompt section. */
  rules: ProjectRules;
  /** Ghost text: the provider (what it last showed or why it asked nothing) and the engine (its cache and counts). */
  ghostText: { provider: GhostTextProvider; engine: CompletionEngine };
}

/** The test API when VS Code runs the extension's tests, else undefined. */
export function exportsFor(isTestRun: boolean, api: () => ModelsLabTestApi): ModelsLabTestApi | undefined {
  return isTestRun ? api() : undefined;
}
