import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ledgerPathOf, runsFolderOf } from '../../src/core/report/loadCostReport';
import { modelChangesPath } from '../../src/core/runs/modelChanges';
import { WorkspaceLayout } from '../../src/core/workspace/workspaceLayout';

describe('WorkspaceLayout', () => {
  const root = path.join(path.sep, 'work', 'project');
  const layout = new WorkspaceLayout(root);
  it('names every .promptmeter path under its root', () => {
    assert.equal(layout.folder, path.join(root, '.promptmeter'));
    assert.equal(layout.runs, path.join(root, '.promptmeter', 'runs'));
    assert.equal(layout.run('r1'), path.join(root, '.promptmeter', 'runs', 'r1'));
    assert.equal(layout.ledger, path.join(root, '.promptmeter', 'ledger'));
    assert.equal(layout.cache, path.join(root, '.promptmeter', 'cache'));
    assert.equal(layout.comparisons, path.join(root, '.promptmeter', 'comparisons'));
    assert.equal(layout.modelChanges, path.join(root, '.promptmeter', 'model-changes.json'));
  });
  it('is what the older helpers return (they ask it)', () => {
    assert.equal(ledgerPathOf(root), layout.ledger);
    assert.equal(runsFolderOf(root), layout.runs);
    assert.equal(modelChangesPath(root), layout.modelChanges);
  });
  it('knows what lies inside .promptmeter', () => {
    assert.equal(layout.contains(path.join(root, '.promptmeter', 'runs', 'x', 'run.json')), true);
    assert.equal(layout.contains(path.join(root, 'prompts', 'a.prompt.md')), false);
    assert.equal(layout.contains(path.join(root, '.promptmeter-other')), false);
  });
});
