import * as vscode from 'vscode';
import { SETTING_DEFAULTS, type SettingKey } from '../core/settings/settingDefaults';
import { parseSettings, type PromptMeterSettings } from '../core/settings/settings';
import { DisposableStore } from './disposableStore';
import { CONFIGURATION_SECTION } from './ids';

/** Typed settings over `promptmeter.*`, re-read on change; invalid values are reported once and replaced by defaults. */
export class SettingsService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<PromptMeterSettings>());
  readonly onDidChange = this.changed.event;
  private value: PromptMeterSettings;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.value = this.read();
    this.store.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(CONFIGURATION_SECTION)) return;
        this.value = this.read();
        this.changed.fire(this.value);
      }),
    );
  }

  get current(): PromptMeterSettings {
    return this.value;
  }

  private read(): PromptMeterSettings {
    const configuration = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
    const raw: Partial<Record<SettingKey, unknown>> = {};
    for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) raw[key] = configuration.get(key);
    const { settings, problems } = parseSettings(raw);
    if (problems.length > 0) {
      for (const problem of problems) this.log.warn(problem);
      void vscode.window
        .showWarningMessage(
          `Prompt Meter: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more in the log)` : ''}`,
          'Open Settings',
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', CONFIGURATION_SECTION);
        });
    }
    return settings;
  }

  dispose(): void {
    this.store.dispose();
  }
}
