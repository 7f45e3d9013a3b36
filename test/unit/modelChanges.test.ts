import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { changedFrom, readModelChanges, recordModelChange } from '../../src/core/runs/modelChanges';

describe('model changes made through Prompt Meter', () => {
  it('keep the original model across repeated changes, and forget a change back', () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'pm-changes-'));
    recordModelChange(workspace, 'prompts/a.prompt.md', 'gpt-4o', 'gpt-4.1-mini', 'recommendation');
    recordModelChange(workspace, 'prompts/a.prompt.md', 'gpt-4.1-mini', 'gpt-6-luna', 'choose-model');
    const changes = readModelChanges(workspace);
    assert.equal(changes['prompts/a.prompt.md']?.from, 'gpt-4o');
    assert.equal(changedFrom(changes, 'prompts/a.prompt.md', 'gpt-6-luna'), 'gpt-4o');
    assert.equal(
      changedFrom(changes, 'prompts/a.prompt.md', 'gpt-4o-mini'),
      undefined,
      'a run on another model is not evidence',
    );
    recordModelChange(workspace, 'prompts/a.prompt.md', 'gpt-6-luna', 'gpt-4o', 'choose-model');
    assert.deepEqual(readModelChanges(workspace), {});
  });
  it('a missing or broken file is no changes', () => {
    assert.deepEqual(readModelChanges(mkdtempSync(path.join(tmpdir(), 'pm-changes-'))), {});
  });
});
