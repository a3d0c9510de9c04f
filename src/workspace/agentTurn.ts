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

export function createAgentTurn(base: ChatStreamer, model: string): AgentTurn {
  const settings = readAgentSettings();
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const plan = new EditPlan();
  const boundary = new WorkspaceBoundary({ roots, sensitivePatterns: settings.sensitiveFiles });
  const ours = workspaceTools({ boundary, plan, approveSensitiveRead, sensitivePatterns: settings.sensitiveFiles });
  const tools = settings.useVsCodeTools ? [...ours, ...vscodeLmTools(new Set(ours.map((t) => t.spec.name)))] : ours;
  const native = settings.toolProtocol === 'native' || (settings.toolProtocol === 'auto' && capabilitiesFor(model).toolCalling);
  return {
    streamer: agentStreamer({ base, tools, protocol: native ? nativeProtocol : textProtocol, fallbackProtocol: textProtocol, limits: { maxToolCalls: settings.maxToolCalls } }),
    proposedFiles: () => plan.files(),
  };
}

/** A secret file is read only if the user says so, for this one read. */
async function approveSensitiveRead(relativePath: string): Promise<boolean> {
  const allow = 'Allow Once';
  const choice = await vscode.window.showWarningMessage(
    `The ModelsLab agent wants to read ${relativePath}, which may hold secrets (keys, passwords). Its content would be sent to the model.`,
    { modal: true },
    allow,
  );
  return choice === allow;
}
