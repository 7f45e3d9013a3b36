import { randomBytes } from 'node:crypto';

/** Where the page's two resources are, as webview URIs, plus the webview's CSP source. */
export interface CostReportPageResources {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** dist/webview.js as a webview URI. */
  readonly scriptUri: string;
  /** media/costReport.css as a webview URI. */
  readonly styleUri: string;
}

/** A fresh CSP nonce: 16 bytes from the OS's CSPRNG (never Math.random). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The page shell of the Cost Report (and of the Compare Models panel, with its own script, stylesheet and title). It holds no data (the report arrives later as a message and is rendered with the
 * DOM API), only the two resource URIs and the nonce. CSP: nothing by default; the one bundled script by nonce;
 * styles from the extension's stylesheet only (Chart.js sizes its canvas through CSSOM, which this allows).
 * Pure (no `vscode` import), so the browser test can serve exactly this page.
 */
export function costReportHtml(resources: CostReportPageResources, nonce: string, title = 'Cost Report'): string {
  const csp = [
    `default-src 'none'`,
    `style-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
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
