import * as vscode from 'vscode';
import type { Logger } from '../llm/logger';

/** The "ModelsLab" log channel, adapted to the core's Logger interface. Created once per activation. */
export function createLogger(context: vscode.ExtensionContext): Logger & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('ModelsLab', { log: true });
  context.subscriptions.push(channel);
  return {
    trace: (message, ...args) => channel.trace(message, ...args),
    debug: (message, ...args) => channel.debug(message, ...args),
    info: (message, ...args) => channel.info(message, ...args),
    warn: (message, ...args) => channel.warn(message, ...args),
    error: (message, ...args) => channel.error(message, ...args),
    dispose: () => channel.dispose(),
  };
}
