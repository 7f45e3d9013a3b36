// One webview page in headless Chromium, served the way the extension serves it: the page shell from
// webviewPageHtml (same CSP, same nonce rules), the built dist/ script and the media/ stylesheets, with a stand-in for
// VS Code's webview API that records the page's posted messages, CSP violations, dialogs and page errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SHARED_STYLESHEET, createNonce, webviewPageHtml } from '../../src/vscode/webviewPageHtml';
import { CHROMIUM_PATH } from '../e2e/support/paths';
import { CHROMIUM_ARGS, chromiumDriver } from '../e2e/support/playwright';
import { repositoryRoot } from '../support/repository';

/** Stands in for VS Code's webview API; loaded first, with the page's nonce, as VS Code provides acquireVsCodeApi. */
const HOST_STUB = `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
window.acquireVsCodeApi = () => ({ postMessage: (message) => window.__posted.push(message), getState: () => undefined, setState: () => undefined });
`;

export interface WebviewPageUnderTest {
  readonly page: Page;
  /** Messages of alert/confirm/prompt dialogs (each dismissed). */
  readonly dialogs: string[];
  /** Uncaught errors in the page. */
  readonly pageErrors: string[];
  /** What the page posted to the host so far. */
  posted(): Promise<Array<Record<string, unknown>>>;
  /** CSP violations so far, as "directive blocked-uri". */
  violations(): Promise<string[]>;
  /** Saves the page as test-artifacts/webviews/`name`.png (for a look at the layout; nothing asserts on it). */
  screenshot(name: string): Promise<void>;
  /** Posts `message` to the page as the host would. */
  send(message: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Opens dist/`script` with media/webview.css and media/`stylesheet`, and waits for the page's `ready`. */
export async function openWebviewPage(options: {
  readonly script: string;
  readonly stylesheet: string;
  readonly title: string;
  readonly viewport: { readonly width: number; readonly height: number };
}): Promise<WebviewPageUnderTest> {
  const root = repositoryRoot();
  const script = path.join(root, 'dist', options.script);
  assert.ok(existsSync(script), `dist/${options.script} is missing: run node esbuild.mjs`);
  const nonce = createNonce();
  const server: Server = createServer((request, response) => {
    const origin = `http://${request.headers.host}`;
    const files: Record<string, [string, string]> = {
      [`/${options.script}`]: ['text/javascript', readFileSync(script, 'utf8')],
      '/stub.js': ['text/javascript', HOST_STUB],
    };
    for (const sheet of [SHARED_STYLESHEET, options.stylesheet])
      files[`/${sheet}`] = ['text/css', readFileSync(path.join(root, 'media', sheet), 'utf8')];
    if (request.url === '/') {
      const html = webviewPageHtml(
        {
          cspSource: origin,
          scriptUri: `${origin}/${options.script}`,
          styleUris: [`${origin}/${SHARED_STYLESHEET}`, `${origin}/${options.stylesheet}`],
        },
        nonce,
        options.title,
      ).replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else if (request.url && files[request.url]) {
      const [type, body] = files[request.url]!;
      response.writeHead(200, { 'content-type': type }).end(body);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  };
  try {
    browser = await chromiumDriver().launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    });
    const page = await browser.newPage({ viewport: options.viewport });
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() =>
      (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((message) => message.type === 'ready'),
    );
    return {
      page,
      dialogs,
      pageErrors,
      posted: () => page.evaluate(() => (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted),
      violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      screenshot: async (name) => {
        const folder = path.join(root, 'test-artifacts', 'webviews');
        mkdirSync(folder, { recursive: true });
        await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
      },
      send: (message) => page.evaluate((posted) => window.postMessage(posted, '*'), message),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
