// @modelslab in VS Code's own Chat view. The slash commands use the editor actions' prompts on
// the selection or a #file reference and stream with the model picked in our extension;
// /fix and /doc end with a button that opens our diff proposal (Accept / Reject, one undo).
import * as vscode from 'vscode';
import { progressNote } from '../llm/progressNote';
import { ModelsLabError } from '../llm/errors';
import type { ChatMessage } from '../llm/types';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { describeError } from '../platform/errorMessages';
import { buildChatMessages, formatCodeContext, type PromptTurn } from '../prompts/chatPrompt';
import { explainRequest, rewriteMessages, testMessages } from '../prompts/editorPrompts';
import { diagnosticsIn, resolveTarget, targetIn, type Purpose, type Target } from '../editor/selectionTarget';
import { detectTestFramework } from '../editor/testFramework';
import { PendingEdits } from './pendingEdits';
import { parseSlashCommand } from '../prompts/slashCommand';
import type { PromptFileStore } from '../workspace/promptFileStore';

export const PARTICIPANT_ID = 'modelslab.chat';

export interface ParticipantDeps {
  connection: Connection;
  hasKey: () => Promise<boolean>;
  pending: PendingEdits;
  /** The workspace's prompt files: "/name rest" in a prompt runs one, as in the panel. */
  promptFiles?: PromptFileStore;
}

interface Answer {
  text: string;
  truncated: boolean;
}

export function registerChatParticipant(deps: ParticipantDeps, extensionUri: vscode.Uri): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) => handle(deps, request, context, stream, token));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  return participant;
}

export async function handle(
  deps: ParticipantDeps,
  request: vscode.ChatRequest,
  context: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  if (!(await deps.hasKey())) {
    stream.markdown('No ModelsLab API key is set. Set one to chat with ModelsLab models here.');
    stream.button({ command: 'modelslab.setApiKey', title: 'Set API Key' });
    return { metadata: { command: request.command, error: 'no_key' } };
  }
  const { systemPrompt } = deps.connection.requestOptions();
  try {
    switch (request.command) {
      case 'explain':
        return await explain(deps, request, stream, token, systemPrompt);
      case 'fix':
      case 'doc':
        return await rewrite(deps, request, stream, token, systemPrompt);
      case 'tests':
        return await tests(deps, request, stream, token, systemPrompt);
      default:
        return (await promptFile(deps, request, stream, token, systemPrompt)) ?? (await converse(deps, request, context, stream, token, systemPrompt));
    }
  } catch (err) {
    return showError(err, request, stream);
  }
}

async function explain(deps: ParticipantDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken, systemPrompt: string): Promise<vscode.ChatResult> {
  const target = await targetOf(request, 'explain', stream);
  if (!target) return { metadata: { command: request.command } };
  const { prompt, context } = explainRequest(target.context, request.prompt);
  stream.reference(new vscode.Location(target.document.uri, target.range));
  const messages = buildChatMessages([{ role: 'user', text: prompt, context }], systemPrompt);
  await streamAnswer(deps, messages, stream, token);
  return { metadata: { command: request.command, target: target.label } };
}

const REWRITES = { fix: { kind: 'fix', title: 'Fix' }, doc: { kind: 'document', title: 'Document' } } as const;

async function rewrite(deps: ParticipantDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken, systemPrompt: string): Promise<vscode.ChatResult> {
  const { kind, title } = REWRITES[request.command as keyof typeof REWRITES];
  const target = await targetOf(request, 'rewrite', stream);
  if (!target) return { metadata: { command: request.command } };
  stream.reference(new vscode.Location(target.document.uri, target.range));
  const version = target.document.version;
  const diagnostics = kind === 'fix' ? diagnosticsIn(target) : undefined;
  const instruction = request.prompt.trim() || undefined;
  const messages = rewriteMessages(kind, target.context, { diagnostics, userInstructions: [systemPrompt, instruction ? `For this change: ${instruction}` : ''].filter(Boolean).join('\n') });
  const answer = await streamAnswer(deps, messages, stream, token);
  if (token.isCancellationRequested) return { metadata: { command: request.command } };
  if (answer.truncated) {
    stream.markdown(`\n\nThe answer was cut off at the token limit, so there is no change to review. Select a smaller part, or raise \`modelslab.maxTokens\`.`);
    return { metadata: { command: request.command, truncated: true } };
  }
  const id = deps.pending.add({ target, answer: answer.text, title, version });
  if (id === undefined) {
    stream.markdown('\n\nThe answer has no code to apply, so nothing changes.');
    return { metadata: { command: request.command } };
  }
  stream.button({ command: PendingEdits.reviewCommand, arguments: [id], title: `Review Changes to ${target.label}` });
  return { metadata: { command: request.command, target: target.label, proposal: id } };
}

async function tests(deps: ParticipantDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken, systemPrompt: string): Promise<vscode.ChatResult> {
  const target = await targetOf(request, 'rewrite', stream);
  if (!target) return { metadata: { command: request.command } };
  stream.reference(new vscode.Location(target.document.uri, target.range));
  const framework = await detectTestFramework(target.document.languageId);
  const extra = request.prompt.trim();
  await streamAnswer(deps, testMessages(target.context, framework, [systemPrompt, extra].filter(Boolean).join('\n')), stream, token);
  return { metadata: { command: request.command, target: target.label } };
}

/**
 * VS Code passes a slash command it does not know ("/review focus on errors") as the prompt:
 * a prompt file of that name runs, with its model. undefined when the prompt is not one.
 */
async function promptFile(deps: ParticipantDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken, systemPrompt: string): Promise<vscode.ChatResult | undefined> {
  const commands = deps.promptFiles?.commands() ?? [];
  const command = parseSlashCommand(request.prompt, commands);
  if (!command || command.source !== 'promptFile' || !deps.promptFiles) return undefined;
  const resolved = await deps.promptFiles.resolve(command.name);
  if (!resolved) return { metadata: { command: command.name, cancelled: true } };
  if ('error' in resolved) {
    stream.markdown(resolved.error);
    return { metadata: { command: command.name, error: 'prompt_file' } };
  }
  const prompt = command.rest ? `${resolved.prompt}\n\n${command.rest}` : resolved.prompt;
  await streamAnswer(deps, buildChatMessages([{ role: 'user', text: prompt }], systemPrompt), stream, token, resolved.model);
  return { metadata: { command: command.name } };
}

async function converse(
  deps: ParticipantDeps,
  request: vscode.ChatRequest,
  context: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
  systemPrompt: string,
): Promise<vscode.ChatResult> {
  const turns: PromptTurn[] = [];
  for (const turn of context.history) {
    if (turn.participant !== PARTICIPANT_ID) continue;
    if (turn instanceof vscode.ChatRequestTurn) turns.push({ role: 'user', text: turn.prompt });
    else if (turn instanceof vscode.ChatResponseTurn) turns.push({ role: 'assistant', text: responseText(turn), failed: turn.result.errorDetails !== undefined });
  }
  const attached = await referencedCode(request);
  turns.push({ role: 'user', text: request.prompt, context: attached || undefined });
  await streamAnswer(deps, buildChatMessages(turns, systemPrompt), stream, token);
  return { metadata: { command: request.command } };
}

/** Streams the answer into the response; retries show as progress. Throws on failure. */
async function streamAnswer(deps: ParticipantDeps, messages: ChatMessage[], stream: vscode.ChatResponseStream, token: vscode.CancellationToken, model?: string): Promise<Answer> {
  const built = deps.connection.buildRequest(messages);
  const request = model ? { ...built, model } : built;
  const controller = new AbortController();
  const subscription = abortOnCancel(token, controller);
  let text = '';
  let truncated = false;
  try {
    for await (const chunk of deps.connection.stream(request, controller.signal)) {
      if (chunk.type === 'text') {
        text += chunk.text;
        stream.markdown(chunk.text);
      } else if (chunk.type === 'retrying' || chunk.type === 'queued' || (chunk.type === 'fallback' && !text)) {
        stream.progress(progressNote(chunk));
      } else if (chunk.type === 'finish') {
        truncated = chunk.reason === 'length';
      }
    }
  } catch (err) {
    if (err instanceof ModelsLabError && err.kind === 'cancelled') return { text, truncated: false };
    throw err;
  } finally {
    subscription.dispose();
  }
  return { text, truncated };
}

/** The code a command acts on: a #file (or #selection) reference first, else the editor's selection. */
async function targetOf(request: vscode.ChatRequest, purpose: Purpose, stream: vscode.ChatResponseStream): Promise<Target | undefined> {
  const reference = request.references.map((r) => r.value).find(isCodeReference);
  if (reference) return referenceTarget(reference, purpose);
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    stream.markdown(`Select some code in an editor, or add a file with \`#file\`, then ask again with \`/${request.command ?? 'explain'}\`.`);
    return undefined;
  }
  return resolveTarget(editor, purpose);
}

/** The files and ranges the user referenced with #, as context for a free question. */
async function referencedCode(request: vscode.ChatRequest): Promise<string> {
  const parts: string[] = [];
  for (const { value } of request.references) {
    if (!isCodeReference(value)) {
      if (typeof value === 'string') parts.push(value);
      continue;
    }
    const target = await referenceTarget(value, 'explain');
    if (!target) continue;
    const { path, languageId, code, startLine, endLine } = target.context;
    parts.push(formatCodeContext({ label: target.label, path, languageId, text: code, lines: { start: startLine, end: endLine }, truncatedNotice: target.context.truncatedNotice }));
  }
  return parts.join('\n\n');
}

/** A `#file` (a Uri) or a range of one (a Location); other references carry no code. */
function isCodeReference(value: unknown): value is vscode.Uri | vscode.Location {
  return value instanceof vscode.Uri || value instanceof vscode.Location;
}

/** The referenced range, or the whole file. */
async function referenceTarget(value: vscode.Uri | vscode.Location, purpose: Purpose): Promise<Target | undefined> {
  const document = await vscode.workspace.openTextDocument(value instanceof vscode.Uri ? value : value.uri);
  const range = value instanceof vscode.Location ? value.range : new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  return targetIn(document, range, purpose);
}

function responseText(turn: vscode.ChatResponseTurn): string {
  return turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
}

/** The error in the response, with the button that fixes it. */
function showError(err: unknown, request: vscode.ChatRequest, stream: vscode.ChatResponseStream): vscode.ChatResult {
  const view = describeError(err);
  switch (view.action) {
    case 'setApiKey':
      stream.button({ command: 'modelslab.setApiKey', title: 'Set API Key' });
      break;
    case 'selectModel':
      stream.button({ command: 'modelslab.selectModel', title: 'Select Model' });
      break;
    case 'openSettings':
      stream.button({ command: 'workbench.action.openSettings', arguments: ['modelslab'], title: 'Open Settings' });
      break;
  }
  return { errorDetails: { message: view.message }, metadata: { command: request.command, error: view.kind } };
}
