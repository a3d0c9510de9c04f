import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** A fresh nonce per render, so only our own bundle can run in the webview. */
export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The chat panel's HTML. The CSP allows nothing by default; scripts only with this render's
 * nonce; images only from the webview's own resources and data: (remote images in model
 * output are never fetched); no unsafe-eval, no inline scripts.
 */
export function renderChatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = createNonce()): string {
  return renderWebviewHtml(webview, extensionUri, { bundle: 'webview', title: 'ModelsLab Chat' }, nonce);
}

/** The same page for another of our webview bundles (dist/<bundle>.js and .css), e.g. the comparison view. */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { bundle: string; title: string; rootId?: string }, nonce = createNonce()): string {
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('dist', `${page.bundle}.css`)}">
<title>${page.title}</title>
</head>
<body>
<div id="${page.rootId ?? 'app'}" class="app"></div>
<script nonce="${nonce}" src="${asset('dist', `${page.bundle}.js`)}"></script>
</body>
</html>`;
}
