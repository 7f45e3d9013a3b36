import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editsText } from '../../src/core/compare/changeText';
import { comparisonCsv } from '../../src/core/compare/comparisonExport';
import type { ModelComparison, SavedComparison } from '../../src/core/compare/compareTypes';
import {
  isComparisonHostMessage,
  isComparisonWebviewMessage,
  isSavedComparison,
} from '../../src/shared/compareMessages';

function line(model: string, extra: Partial<ModelComparison> = {}): ModelComparison {
  return {
    model,
    passed: 19,
    total: 20,
    passRate: 0.95,
    interval: [0.76, 0.99],
    costUsd: 0.0004,
    costPer1kRows: { standard: 0.02, batch: 0.01 },
    latencyP50Ms: 120,
    latencyP95Ms: 300,
    reasoningTokens: 0,
    truncated: 0,
    edits: [],
    monthlySavingUsd: null,
    ...extra,
  };
}

const saved: SavedComparison = {
  id: '20261201T230000Z-abcdef',
  file: 'prompts/a.prompt.md',
  promptHash: 'h',
  time: '2026-12-01T23:00:00.000Z',
  scoring: 'exact after normalising',
  rows: 20,
  reference: 'gpt-4o',
  threshold: 0.9,
  recommended: 'gpt-4.1-nano',
  judgeCostUsd: 0,
  models: [
    line('gpt-4o', { passed: 20, passRate: 1, interval: [0.84, 1] }),
    line('gpt-4.1-nano', {
      costUsd: null,
      monthlySavingUsd: 1.5,
      edits: [
        { kind: 'set-model', model: 'gpt-4.1-nano' },
        { kind: 'remove-parameter', name: 'temperature' },
        { kind: 'set-parameter', name: 'reasoning_effort', value: 'minimal' },
      ],
    }),
    line('=HYPERLINK("x")'),
  ],
  disagreements: [
    {
      row: 3,
      answers: {
        'gpt-4o': { text: 'billing', passed: true, detail: '' },
        'gpt-4.1-nano': { text: 'bug, "urgent"', passed: false, detail: 'differs' },
      },
    },
  ],
};

describe('comparison export and messages', () => {
  it('CSV: one line per model, unknown money as "unknown" (never 0), edits in words, quoting, no spreadsheet formulas', () => {
    const lines = comparisonCsv(saved).trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^# comparison 20261201T230000Z-abcdef of prompts\/a\.prompt\.md on 20 rows; reference gpt-4o; threshold 0.9/,
    );
    assert.equal(
      lines[1],
      'model,recommended,passed,total,pass_rate,interval_low,interval_high,trial_usd,per_1k_rows_standard_usd,per_1k_rows_batch_usd,latency_p50_ms,latency_p95_ms,reasoning_tokens,truncated,failed,monthly_saving_usd,edits',
    );
    assert.equal(lines[2], 'gpt-4o,false,20,20,1,0.84,1,0.0004,0.02,0.01,120,300,0,0,0,unknown,');
    assert.equal(
      lines[3],
      'gpt-4.1-nano,true,19,20,0.95,0.76,0.99,unknown,0.02,0.01,120,300,0,0,0,1.5,"drops temperature, reasoning_effort minimal"',
    );
    assert.ok(lines[4]!.startsWith(`"'=HYPERLINK(""x"")"`), lines[4]);
    assert.equal(lines.length, 5);
  });

  it('edits in words leave out the model itself', () => {
    assert.equal(editsText(saved.models[1]!.edits), 'drops temperature, reasoning_effort minimal');
    assert.equal(editsText([{ kind: 'set-model', model: 'x' }]), '');
  });

  it('the host accepts only well-formed requests from the page', () => {
    assert.equal(isComparisonWebviewMessage({ type: 'ready' }), true);
    assert.equal(isComparisonWebviewMessage({ type: 'switch', model: 'gpt-4.1-nano' }), true);
    assert.equal(isComparisonWebviewMessage({ type: 'switch', model: '' }), false);
    assert.equal(isComparisonWebviewMessage({ type: 'switch', model: 'a\nb' }), false);
    assert.equal(isComparisonWebviewMessage({ type: 'switch' }), false);
    assert.equal(isComparisonWebviewMessage({ type: 'export', format: 'csv' }), true);
    assert.equal(isComparisonWebviewMessage({ type: 'export', format: 'xlsx' }), false);
    assert.equal(isComparisonWebviewMessage({ type: 'openJson' }), true);
    assert.equal(isComparisonWebviewMessage({ type: 'eval', code: '1' }), false);
    assert.equal(isComparisonWebviewMessage('ready'), false);
  });

  it('the page renders only comparisons of the expected shape', () => {
    assert.equal(isSavedComparison(saved), true);
    assert.equal(isSavedComparison(JSON.parse(JSON.stringify(saved))), true, 'a saved file read back');
    assert.equal(
      isComparisonHostMessage({ type: 'comparison', comparison: saved, currentModel: 'gpt-4o', notice: null }),
      true,
    );
    assert.equal(
      isComparisonHostMessage({ type: 'comparison', comparison: saved, currentModel: 3, notice: null }),
      false,
    );
    assert.equal(isSavedComparison({ ...saved, models: [{ ...saved.models[0]!, interval: [0.5] }] }), false);
    assert.equal(isSavedComparison({ ...saved, models: [{ ...saved.models[0]!, costUsd: 'free' }] }), false);
    assert.equal(
      isSavedComparison({
        ...saved,
        disagreements: [{ row: 1, answers: { a: { text: 1, passed: true, detail: '' } } }],
      }),
      false,
    );
  });
});
