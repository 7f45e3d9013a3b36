import * as vscode from 'vscode';
import { SHARED_STYLESHEET, createNonce, webviewPageHtml } from './webviewPageHtml';

/** The folders a Prompt Meter webview may load from: the bundled scripts and the stylesheets. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The page shell for `webview`: dist/`script`, media/webview.css then media/`stylesheet`, a fresh nonce. */
export function webviewPage(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: { readonly script: string; readonly stylesheet: string; readonly title: string },
): string {
  const uri = (...segments: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  return webviewPageHtml(
    {
      cspSource: webview.cspSource,
      scriptUri: uri('dist', page.script),
      styleUris: [uri('media', SHARED_STYLESHEET), uri('media', page.stylesheet)],
    },
    createNonce(),
    page.title,
  );
}
