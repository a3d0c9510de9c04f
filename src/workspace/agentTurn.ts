// A new Agent-mode answer: the workspace boundary, the tools and the edit plan for one turn,
// and the protocol that suits the model (native tool calls, or the plain-text one).
import * as vscode from 'vscode';
import { agentStreamer, type AgentTurn } from '../agent/agentStreamer';
import { EditPlan } from '../agent/editPlan';
import { textProtocol } from '../agent/textProtocol';
import { nativeProtocol } from '../agent/toolProtocol';
import { WorkspaceBoundary } from '../agent/workspaceBoundary';
import { capabilitiesFor } from '../llm/modelCapabilities';
import type { ChatStreamer } from '../llm/streamer';
import { workspaceTools } from './agentTools';
import { vscodeLmTools } from './vscodeLmTools';
import { filesExcludeGlobs, gitignoreGlobs } from '../agent/ignoreRules';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AgentSettings {
  maxToolCalls: number;
  sensitiveFiles: string[];
  toolProtocol: 'auto' | 'native' | 'text';
  /** Offer the tools other extensions and MCP servers register in VS Code. */
  useVsCodeTools: boolean;
}

export function readAgentSettings(): AgentSettings {
  const config = vscode.workspace.getConfiguration('modelslab.agent');
  const protocol = config.get<string>('toolProtocol');
  return {
    maxToolCalls: Math.max(1, Math.min(200, config.get<number>('maxToolCalls') ?? 25)),
    sensitiveFiles: (config.get<unknown[]>('sensitiveFiles') ?? []).filter((g): g is string => typeof g === 'string' && g.trim() !== ''),
    toolProtocol: protocol === 'native' || protocol === 'text' ? protocol : 'auto',
    useVsCodeTools: config.get<boolean>('useVsCodeTools') === true,
  };
}

/** The first workspace folder on disk: where the agent's relative paths start. */
export function agentRoot(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
}

/** `askToRead` asks the user (in the panel) before a secret file is read; `end` settles what is still open. */
export function createAgentTurn(base: ChatStreamer, model: string, askToRead: (relativePath: string) => Promise<boolean>, end?: () => void): AgentTurn {
  const settings = readAgentSettings();
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const plan = new EditPlan();
  const boundary = new WorkspaceBoundary({ roots, sensitivePatterns: settings.sensitiveFiles });
  const ours = workspaceTools({ boundary, plan, approveSensitiveRead: askToRead, sensitivePatterns: settings.sensitiveFiles, ignoredGlobs: ignoredGlobs(roots[0]) });
  const tools = settings.useVsCodeTools ? [...ours, ...vscodeLmTools(new Set(ours.map((t) => t.spec.name)))] : ours;
  const native = settings.toolProtocol === 'native' || (settings.toolProtocol === 'auto' && capabilitiesFor(model).toolCalling);
  return {
    streamer: agentStreamer({ base, tools, protocol: native ? nativeProtocol : textProtocol, fallbackProtocol: textProtocol, limits: { maxToolCalls: settings.maxToolCalls } }),
    proposedFiles: () => plan.files(),
    end,
  };
}

/** files.exclude, and the first folder's .gitignore (read once per answer). */
function ignoredGlobs(root: string | undefined): string[] {
  const excluded = filesExcludeGlobs(vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude'));
  if (!root) return excluded;
  let gitignore = '';
  try {
    gitignore = readFileSync(join(root, '.gitignore'), 'utf8');
  } catch {
    // No .gitignore: nothing more to leave out.
  }
  return [...excluded, ...gitignoreGlobs(gitignore)];
}
