import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectReasoning } from '../../src/core/estimate/reasoningEstimate';
import { reasoningHistoryFrom } from '../../src/core/estimate/reasoningHistory';
import type { LedgerEntry } from '../../src/core/ledger/ledgerEntry';
import { DEFAULT_REASONING_TOKENS } from '../../src/core/models/reasoningEffort';
import { resolveModel } from '../../src/core/models/resolveModel';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';

function entry(source: string, model: string, reasoningTokens: number, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    version: 1,
    id: `${source}-${reasoningTokens}-${Math.random()}`,
    time: '2026-11-30T10:00:00Z',
    source,
    endpoint: 'chat.completions',
    model,
    requestKey: 'k',
    usage: { promptTokens: 10, cachedTokens: 0, completionTokens: reasoningTokens + 5, reasoningTokens },
    costUsd: 0.001,
    latencyMs: 100,
    cache: 'miss',
    retries: 0,
    outcome: 'ok',
    ...extra,
  };
}

describe("reasoning tokens from the prompt's own calls", () => {
  const prompt = parsePromptFile(
    'p/classify.prompt.md',
    '---\nmodel: gpt-5-nano\nmax_tokens: 400\n---\nHi\n',
    'prompt-markdown',
  ).prompts[0]!;
  const model = resolveModel('gpt-5-nano');

  it('without calls: the per-effort assumption, labelled assumed', () => {
    const expectation = expectReasoning(prompt, model, reasoningHistoryFrom([]))!;
    assert.deepEqual(
      [expectation.effort, expectation.source, expectation.expectedTokens],
      ['medium', 'assumed', DEFAULT_REASONING_TOKENS.medium],
    );
  });

  it('with calls: the median of the last 20 real calls on that model; cache hits, errors and other models do not count', () => {
    const entries = [
      ...Array.from({ length: 30 }, (_, index) =>
        entry('p/classify.prompt.md', 'gpt-5-nano', index < 10 ? 5000 : 100 + index),
      ),
      entry('p/classify.prompt.md', 'gpt-5-nano', 9999, { cache: 'disk' }),
      entry('p/classify.prompt.md', 'gpt-5-nano', 9999, { outcome: 'error' }),
      entry('p/classify.prompt.md', 'gpt-5-mini', 9999),
      entry('p/other.prompt.md', 'gpt-5-nano', 9999),
    ];
    const expectation = expectReasoning(prompt, model, reasoningHistoryFrom(entries))!;
    // The last 20 real calls are 110..129: median (119 + 120) / 2, rounded.
    assert.deepEqual([expectation.source, expectation.calls, expectation.expectedTokens], ['ledger', 20, 120]);
  });

  it('effort none never reasons, whatever the ledger says', () => {
    const none = parsePromptFile(
      'p/classify.prompt.md',
      '---\nmodel: gpt-5.1\nmax_tokens: 400\n---\nHi\n',
      'prompt-markdown',
    ).prompts[0]!;
    const expectation = expectReasoning(
      none,
      resolveModel('gpt-5.1'),
      reasoningHistoryFrom([entry('p/classify.prompt.md', 'gpt-5.1', 800)]),
    )!;
    assert.deepEqual([expectation.effort, expectation.expectedTokens], ['none', 0]);
  });
});
