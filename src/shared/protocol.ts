// The typed message protocol between the extension host and the chat webview.
// Imported by both bundles, so it must not import `vscode` or touch the DOM.
import type { ToolActivity } from '../llm/types';

export type Role = 'user' | 'assistant';

/**
 * How an assistant answer ended. Anything but 'done' is shown as not a finished answer;
 * 'truncated' means the model stopped at the token limit (it can be continued).
 */
export type AnswerStatus = 'streaming' | 'done' | 'truncated' | 'stopped' | 'incomplete' | 'error';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** An error as the panel shows it: what happened, and the one action that fixes it. */
export interface ErrorView {
  kind: string;
  message: string;
  action?: 'setApiKey' | 'retry' | 'openSettings' | 'selectModel';
  /** For rate limits: when the user may try again (ms since epoch). */
  retryAt?: number;
  /** The next fallback model, offered as "Retry with …" when an answer broke off after text. */
  retryModel?: ModelOption;
}

/** How a prompt is answered: Ask answers from what is attached; Agent may read the workspace with tools and propose edits. */
export type ChatMode = 'ask' | 'agent';

/** One tool the agent ran, as the transcript shows it: the runner's record, as it is. */
export type ToolLineView = ToolActivity;

/** A file the agent proposes to change, in the answer's review list. */
export interface EditFileView {
  path: string;
  isNew: boolean;
  added: number;
  removed: number;
  state: 'pending' | 'accepted' | 'rejected';
}

export interface MessageView {
  id: string;
  role: Role;
  text: string;
  /** Set on answers written in Agent mode. */
  mode?: ChatMode;
  /** The agent's tools, in order. */
  tools?: ToolLineView[];
  /** The agent's proposed edits and what the user did with them. */
  edits?: EditFileView[];
  model?: string;
  status?: AnswerStatus;
  usage?: Usage;
  error?: ErrorView;
  /** Labels of the context attached to a user message, e.g. "utils.ts:10-20". */
  contextLabels?: string[];
  /** An answer that compared models: who answered, and which answer the user took (unset: not yet). */
  comparison?: { models: string[]; chosen?: number };
  /** The models that failed before this answer's model took over. */
  fallbackFrom?: { model: string; reason: string }[];
}

export interface ConversationView {
  id: string;
  title: string;
  messages: MessageView[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

export interface ContextChip {
  id: string;
  label: string;
  kind: 'selection' | 'file';
  /** Set when the attached text was cut to the context budget. */
  truncatedNotice?: string;
}

export interface ModelOption {
  id: string;
  label: string;
  /** Why the model may not work, e.g. "not listed by the server". */
  note?: string;
}

export type CodeBlockAction = 'copy' | 'insert' | 'apply' | 'newFile';

/** A project rule file as the rules chip lists it. */
export interface RuleView {
  /** Workspace-relative path, e.g. "AGENTS.md" or ".modelslab/rules/tests.md". */
  path: string;
  /** The user's switch for this file (on unless switched off). */
  enabled: boolean;
  /** Whether it applies to the next prompt (its applyTo glob matches the active or attached files). */
  applies: boolean;
  /** Its applyTo glob, if it has one. */
  applyTo?: string;
  /** A problem to show once, e.g. "malformed front matter: used as plain text". */
  problem?: string;
}

/** A slash command the composer offers when the user types "/". */
export interface SlashCommandView {
  /** Without the slash, e.g. "explain" or "review-pr". */
  name: string;
  description: string;
  /** Built into the panel, or a prompt file (.modelslab/prompts/<name>.prompt.md). */
  source: 'builtin' | 'promptFile';
}

// ---------------------------------------------------------------- host → webview

export type HostToWebview =
  | {
      type: 'init';
      hasKey: boolean;
      models: ModelOption[];
      model: string;
      conversation: ConversationView;
    }
  | { type: 'keyState'; hasKey: boolean }
  | { type: 'models'; models: ModelOption[]; model: string }
  | { type: 'conversation'; conversation: ConversationView }
  | { type: 'answerStart'; requestId: string; userMessage: MessageView; assistantId: string; model: string; replaceFromIndex: number; mode?: ChatMode; comparison?: string[] }
  /** The request moved to another model before any text: the answer is now `to`'s. */
  | { type: 'answerFallback'; requestId: string; from: string; to: string; reason: string }
  /** The request waits for a free slot (ModelsLab's queue cap); `position` 1 = next. */
  | { type: 'answerQueued'; requestId: string; position: number }
  /** The models the next prompt will be compared on (empty: a normal answer). */
  | { type: 'compareSet'; models: ModelOption[] }
  | { type: 'answerDelta'; requestId: string; text: string }
  | { type: 'answerWaiting'; requestId: string; retryAt: number; reason: string }
  /** A tool the agent started or finished (the same callId updates its line). */
  | { type: 'answerTool'; requestId: string; tool: ToolLineView }
  /** The agent asks, inside the answer, whether it may read a file that may hold secrets. */
  | { type: 'answerApproval'; requestId: string; approvalId: string; path: string }
  /** The review list of an agent answer, whenever it changes. `undoable`: accepted edits can be undone as one step. */
  | { type: 'answerEdits'; messageId: string; edits: EditFileView[]; undoable: boolean }
  /** Continue: the answer `assistantId` (whose text so far is `text`) streams on under `requestId`. */
  | { type: 'answerResume'; requestId: string; assistantId: string; text: string }
  | { type: 'answerEnd'; requestId: string; status: Exclude<AnswerStatus, 'streaming'>; usage?: Usage; error?: ErrorView }
  /** The host turned a request down before any answer started: the request is over. */
  | { type: 'requestRefused'; requestId: string; level: 'info' | 'warning' | 'error'; text: string }
  | { type: 'context'; chips: ContextChip[] }
  /** The project's rule files and which apply now. */
  | { type: 'rules'; rules: RuleView[] }
  /** The slash commands the composer completes (built-ins and the workspace's prompt files). */
  | { type: 'slashCommands'; commands: SlashCommandView[] }
  | { type: 'historyList'; items: ConversationSummary[]; activeId: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

// ---------------------------------------------------------------- webview → host

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; requestId: string; text: string; mode?: ChatMode }
  | { type: 'cancel'; requestId: string }
  | { type: 'regenerate'; requestId: string }
  | { type: 'editAndResend'; requestId: string; messageId: string; text: string }
  | { type: 'continueAnswer'; requestId: string; messageId: string }
  /** Open VS Code's model Quick Pick (the same one the status bar opens). */
  | { type: 'pickModel' }
  | { type: 'setApiKey' }
  | { type: 'openLink'; href: string }
  | { type: 'codeBlock'; action: CodeBlockAction; code: string; language: string }
  | { type: 'removeContext'; id: string }
  | { type: 'attachFile' }
  | { type: 'openConversation'; id: string }
  | { type: 'renameConversation'; id: string }
  | { type: 'deleteConversation'; id: string }
  | { type: 'exportConversation'; id: string }
  /** The user's answer to an answerApproval. */
  | { type: 'approve'; approvalId: string; allow: boolean }
  /** Open a project rule file in the editor. */
  | { type: 'openRule'; path: string }
  /** Switch a project rule file on or off for this workspace. */
  | { type: 'toggleRule'; path: string; enabled: boolean }
  /** Pick the models of a comparison (Quick Pick), or clear the set (`clear`). */
  | { type: 'pickCompareModels'; clear?: boolean }
  /** Open the comparison view of an answer that compared models. */
  | { type: 'openComparison'; messageId: string }
  /** Retry the last prompt with another model (after a failure that came after text). */
  | { type: 'retryWithModel'; requestId: string; model: string }
  /** The review list of an agent answer: all files, or one (`path`). */
  | { type: 'reviewEdits'; messageId: string; action: ReviewAction; path?: string };

export type ReviewAction = 'acceptAll' | 'rejectAll' | 'accept' | 'reject' | 'openDiff' | 'undo';

export type WebviewMessageType = WebviewToHost['type'];
