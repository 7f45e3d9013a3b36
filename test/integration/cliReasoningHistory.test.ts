import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LedgerEntry } from '../../src/core/ledger/ledgerEntry';
import { startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { fakeApiKey } from '../support/fakeKeys';
import { workspaceLedgerText } from '../support/ledgerText';

const KEY = fakeApiKey('reasoning-history');

describe("expected reasoning follows the prompt's own calls", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ latencyMs: 5 });
  });
  after(() => server.close());

  it('after runs, estimate uses the median reasoning_tokens of the ledger instead of the per-effort assumption', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pm-reasoning-'));
    writeFileSync(
      path.join(folder, 'plan.prompt.md'),
      '---\nmodel: gpt-5-mini\nmax_tokens: 2000\nreasoning_effort: low\n---\nPlan a three-step migration.\n',
    );
    const first = JSON.parse((await runCli(['estimate', 'plan.prompt.md', '--json'], folder)).stdout) as {
      prompts: Array<{ reasoning: { source: string; expectedTokens: number } }>;
    };
    assert.equal(first.prompts[0]!.reasoning.source, 'assumed');
    for (let index = 0; index < 3; index++) {
      const run = await runCli(['run', 'plan.prompt.md', '--base-url', server.url, '--no-cache'], folder, {
        OPENAI_API_KEY: KEY,
      });
      assert.equal(run.code, 0, run.stderr);
    }
    const paid = workspaceLedgerText(folder)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LedgerEntry);
    const reasoning = paid.map((entry) => entry.usage.reasoningTokens).sort((left, right) => left - right);
    assert.equal(reasoning.length, 3);
    assert.ok(reasoning[1]! > 0, 'the server reported hidden reasoning tokens');
    const second = JSON.parse((await runCli(['estimate', 'plan.prompt.md', '--json'], folder)).stdout) as {
      prompts: Array<{ reasoning: { source: string; expectedTokens: number; calls: number } }>;
    };
    assert.deepEqual(second.prompts[0]!.reasoning, {
      ...second.prompts[0]!.reasoning,
      source: 'ledger',
      calls: 3,
      expectedTokens: reasoning[1],
    });
  });
});
