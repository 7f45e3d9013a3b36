// Self-test of the e2e harness: a throwaway extension, generated and packaged here, is installed into real
// VS Code (code-server) and driven through headless Chromium with every helper in ./support.
// Needs `bash scripts/setup-e2e.sh` (code-server) and Debian's chromium (scripts/install-system-deps.sh).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  clearNotifications,
  clickCodeLens,
  codeLensTexts,
  createWorkspace,
  editorText,
  notificationTexts,
  openFile,
  openView,
  packageExtension,
  pickQuickPickItem,
  runCommand,
  saveActiveEditor,
  screenshot,
  startCodeServerForTest,
  statusBarTexts,
  typeInEditor,
  waitForCodeLens,
  waitForNotification,
  waitForStatusBarText,
  webviewFrame,
} from './support';

/** package.json of the throwaway extension: a command palette entry, a quick pick command, a webview view. */
const MANIFEST = {
  name: 'e2e-harness',
  displayName: 'E2E Harness',
  publisher: 'promptmeter-test',
  version: '0.0.1',
  engines: { vscode: '^1.95.0' },
  main: './extension.js',
  activationEvents: ['onStartupFinished'],
  capabilities: { untrustedWorkspaces: { supported: true } },
  contributes: {
    commands: [
      { command: 'harness.hello', title: 'Say Hello', category: 'Harness' },
      { command: 'harness.pick', title: 'Pick a Letter', category: 'Harness' },
    ],
    views: { explorer: [{ type: 'webview', id: 'harness.view', name: 'Harness View' }] },
  },
};

/** extension.js: status bar item with a known text, notification command, quick pick, CodeLens on *.txt, webview. */
const EXTENSION_SOURCE = `
const vscode = require('vscode');
exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem('harness.status', vscode.StatusBarAlignment.Right, 1000);
  item.text = '$(pulse) Harness ready 42 (' + (vscode.workspace.isTrusted ? 'trusted' : 'untrusted') + ')';
  item.show();
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand('harness.hello', (source) =>
      vscode.window.showInformationMessage('Hello from the ' + (typeof source === 'string' ? source : 'palette'))),
    vscode.commands.registerCommand('harness.pick', async () => {
      const choice = await vscode.window.showQuickPick(['Alpha', 'Beta', 'Gamma'], { placeHolder: 'Pick a letter' });
      if (choice) await vscode.window.showInformationMessage('Picked ' + choice);
    }),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.txt' }, {
      provideCodeLenses: (document) => [
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: 'Harness lens: ' + document.lineCount + ' lines', command: 'harness.hello', arguments: ['lens'],
        }),
      ],
    }),
    vscode.window.registerWebviewViewProvider('harness.view', {
      resolveWebviewView: (view) => {
        view.webview.html = '<!DOCTYPE html><html><body><h1 id="greeting">Hello from the webview</h1></body></html>';
      },
    }),
  );
};
`;

/** Writes the throwaway extension into `folder` and packages it with the repository's vsce. */
async function buildHarnessExtension(folder: string): Promise<string> {
  const source = path.join(folder, 'extension');
  mkdirSync(source, { recursive: true });
  writeFileSync(path.join(source, 'package.json'), JSON.stringify(MANIFEST, null, 2));
  writeFileSync(path.join(source, 'extension.js'), EXTENSION_SOURCE);
  writeFileSync(
    path.join(source, 'README.md'),
    '# E2E harness\n\nA throwaway extension for the e2e harness self-test.\n',
  );
  writeFileSync(path.join(source, '.vscodeignore'), '**\n!package.json\n!extension.js\n!README.md\n');
  return packageExtension(source, path.join(folder, 'e2e-harness.vsix'));
}

function milliseconds(since: number): string {
  return `${Date.now() - since} ms`;
}

test('e2e harness drives a packaged extension in real VS Code', { timeout: 300_000 }, async (t) => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-harness-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  let started = Date.now();
  const vsixPath = await buildHarnessExtension(scratch);
  t.diagnostic(`packaged the harness extension in ${milliseconds(started)}`);

  const workspace = createWorkspace({ 'notes.txt': 'first line\nsecond line\n', 'docs/deep/more.txt': 'one\n' });
  started = Date.now();
  const server = await startCodeServerForTest(t, { workspace, vsixPath, name: 'harness' });
  t.diagnostic(`installed the extension, started code-server and loaded the workbench in ${milliseconds(started)}`);
  const { page } = server;

  await t.test('status bar shows the extension item', async () => {
    const text = await waitForStatusBarText(page, /Harness ready 42/);
    assert.equal(text, 'Harness ready 42 (trusted)', 'the codicon is not part of the text; trust is off, so trusted');
    assert.ok((await statusBarTexts(page)).includes(text));
  });

  await t.test('Quick Open opens a file and its CodeLens shows', async () => {
    await openFile(page, 'notes.txt');
    assert.match(await editorText(page), /^first line\nsecond line\n?/);
    assert.equal(await waitForCodeLens(page, /Harness lens/), 'Harness lens: 3 lines');
    assert.deepEqual(await codeLensTexts(page), ['Harness lens: 3 lines']);
  });

  await t.test('clicking a CodeLens runs its command', async () => {
    await clickCodeLens(page, /Harness lens/);
    await waitForNotification(page, /Hello from the lens/);
  });

  await t.test('the command palette runs a command that shows a notification', async () => {
    await runCommand(page, 'Harness: Say Hello');
    assert.equal(await waitForNotification(page, /Hello from the palette/), 'Hello from the palette');
    assert.ok((await notificationTexts(page)).includes('Hello from the palette'));
  });

  await t.test('a quick pick item is picked by label', async () => {
    await runCommand(page, 'Harness: Pick a Letter');
    await pickQuickPickItem(page, /^Beta$/);
    await waitForNotification(page, /Picked Beta/);
    await clearNotifications(page);
    assert.deepEqual(await notificationTexts(page), []);
  });

  await t.test('typing and saving reach the file on disk; the CodeLens follows', async () => {
    await openFile(page, 'docs/deep/more.txt');
    await waitForCodeLens(page, /Harness lens: 2 lines/);
    await typeInEditor(page, 'two\n', { at: 'end' });
    await waitForCodeLens(page, /Harness lens: 3 lines/);
    await saveActiveEditor(page);
    assert.equal(readFileSync(path.join(workspace, 'docs/deep/more.txt'), 'utf8'), 'one\ntwo\n');
  });

  await t.test('a webview view is read through its nested frames', async () => {
    await openView(page, 'Harness View');
    const frame = await webviewFrame(page, 'Harness View');
    assert.equal(await frame.locator('#greeting').textContent(), 'Hello from the webview');
  });

  await t.test('a screenshot lands in test-artifacts/e2e', async () => {
    const file = await screenshot(page, 'harness-workbench');
    assert.ok(file.endsWith(path.join('test-artifacts', 'e2e', 'harness-workbench.png')));
    assert.ok(statSync(file).size > 10_000, 'a real picture, not an empty file');
  });

  await t.test('a failed wait names what it waited for, what it saw, and its screenshot', async () => {
    await assert.rejects(waitForStatusBarText(page, /no such item/, { timeout: 300 }), (error: Error) => {
      assert.match(error.message, /Timed out after 300 ms waiting for status bar text \/no such item\//);
      assert.match(error.message, /Harness ready 42/);
      const shot = /Screenshot: (\S+\.png)/.exec(error.message)?.[1];
      assert.ok(shot !== undefined && existsSync(shot), `screenshot listed in: ${error.message}`);
      rmSync(shot);
      return true;
    });
  });
});

test(
  'trust: true opens the workspace in Restricted Mode; close() stops the server',
  { timeout: 180_000 },
  async (t) => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-harness-'));
    t.after(() => rmSync(scratch, { recursive: true, force: true }));
    const vsixPath = await buildHarnessExtension(scratch);
    const workspace = createWorkspace({ 'notes.txt': 'untrusted\n' });
    const server = await startCodeServerForTest(t, { workspace, vsixPath, trust: true, name: 'harness-restricted' });

    await waitForStatusBarText(server.page, /Restricted Mode/);
    await waitForStatusBarText(server.page, /Harness ready 42 \(untrusted\)/);

    const pid = server.serverPid;
    await server.close();
    assert.throws(() => process.kill(-pid, 0), { code: 'ESRCH' }, 'no process of the server group is left');
  },
);
