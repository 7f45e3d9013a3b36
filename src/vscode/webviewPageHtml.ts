import { randomBytes } from 'node:crypto';

/** The stylesheet every webview loads before its own (media/webview.css). */
export const SHARED_STYLESHEET = 'webview.css';

/** Where a page's resources are, as webview URIs, plus the webview's CSP source. */
export interface WebviewPageResources {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** The page's one bundled script (dist/*.js) as a webview URI. */
  readonly scriptUri: string;
  /** Its stylesheets in order (media/webview.css, then the page's own) as webview URIs. */
  readonly styleUris: readonly string[];
}

/** A fresh CSP nonce: 16 bytes from the OS's CSPRNG (never Math.random). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The page shell of every Prompt Meter webview (Cost Report, Compare Models, run view). It holds no data (that arrives
 * later as a message and is rendered with the DOM API), only the resource URIs, the nonce and the title. CSP: nothing
 * by default; the one bundled script by nonce; styles from the extension's stylesheets only (Chart.js sizes its
 * canvas through CSSOM, which this allows). Pure (no `vscode` import), so the browser tests serve exactly this page.
 */
export function webviewPageHtml(resources: WebviewPageResources, nonce: string, title: string): string {
  const csp = [
    `default-src 'none'`,
    `style-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = resources.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeText(title)}</title>
</head>
<body>
<main id="root"></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
