// End-to-end test support: real VS Code (code-server, installed by scripts/setup-e2e.sh) driven by headless
// Chromium through playwright-core. See test/e2e/harness.test.ts for a worked example.
export { screenshot } from './artifacts';
export {
  installExtension,
  startCodeServer,
  startCodeServerForTest,
  type CodeServer,
  type CodeServerDirectories,
  type StartCodeServerOptions,
} from './codeServer';
export {
  activeEditor,
  clickCodeLens,
  codeLensTexts,
  editorText,
  saveActiveEditor,
  typeInEditor,
  waitForCodeLens,
} from './editor';
export { packageExtension } from './extensionPackage';
export { clearNotifications, clickNotificationButton, notificationTexts, waitForNotification } from './notifications';
export { artifactsDirectory, CODE_SERVER_VERSION, repositoryRoot } from './paths';
export { openFile, openView, pickQuickPickItem, quickInputRows, runCommand, type QuickInputRow } from './quickInput';
export { clickStatusBarItem, statusBarTexts, waitForStatusBarText } from './statusBar';
export { DEFAULT_TIMEOUT, waitUntil, type WaitOptions } from './waiting';
export { webviewFrame } from './webview';
export { createWorkspace } from './workspace';
