import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readWorkspaceSettings } from '../../src/cli/workspaceSettings';

function workspaceWith(settings: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-settings-'));
  mkdirSync(path.join(folder, '.vscode'));
  writeFileSync(path.join(folder, '.vscode', 'settings.json'), settings);
  return folder;
}

describe('readWorkspaceSettings (jsonc-parser)', () => {
  it('reads promptmeter.* from JSON with comments and trailing commas, leaving comment-like text in strings alone', () => {
    const folder = workspaceWith(
      '{\n  // budgets\n  "promptmeter.defaultModel": "gpt-4o", /* inline */\n  "promptmeter.promptFolders": ["a//b", "/*c*/",],\n  "editor.tabSize": 2,\n}\n',
    );
    assert.deepEqual(readWorkspaceSettings(folder), {
      raw: { defaultModel: 'gpt-4o', promptFolders: ['a//b', '/*c*/'] },
    });
  });

  it('broken JSON is a problem naming the file and line; no file is no settings', () => {
    const result = readWorkspaceSettings(
      workspaceWith('{\n  "promptmeter.defaultModel": "gpt-4o"\n  "promptmeter.x": 1\n}\n'),
    );
    assert.deepEqual(result.raw, {});
    assert.match(result.problem ?? '', /settings\.json is not valid JSON \(line 3: CommaExpected\)/);
    assert.deepEqual(readWorkspaceSettings(mkdtempSync(path.join(tmpdir(), 'pm-none-'))), { raw: {} });
  });
});
