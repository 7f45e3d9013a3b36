import * as vscode from 'vscode';

const SECRET_NAME = 'promptmeter.openaiApiKey';

/** The API key lives only in VS Code's SecretStorage: never in settings, results, ledgers or logs. */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** Fires when the key is stored or removed (also from another window). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key === SECRET_NAME) listener();
    });
  }

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_NAME);
  }

  async promptAndStore(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Prompt Meter: Set API Key',
      prompt:
        "Your OpenAI (or OpenAI-compatible) API key. It is kept in VS Code's secret storage, never in settings or logs.",
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (value) =>
        value.trim() === ''
          ? 'Enter a key, or press Escape to cancel.'
          : /\s/.test(value.trim())
            ? 'A key has no spaces.'
            : undefined,
    });
    if (key === undefined) return false;
    await this.secrets.store(SECRET_NAME, key.trim());
    void vscode.window.showInformationMessage("Prompt Meter: API key stored in VS Code's secret storage.");
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_NAME);
    void vscode.window.showInformationMessage('Prompt Meter: API key removed from secret storage.');
  }
}
