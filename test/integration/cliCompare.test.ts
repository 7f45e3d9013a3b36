import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { compareModels } from '../../src/core/compare/compareModels';
import { Pricing } from '../../src/core/pricing/pricing';
import { readDatasetFile } from '../../src/core/runs/dataset';
import { SIMILARITY_MODEL } from '../../src/core/models/defaultModels';
import { startTestServer, type TestServer } from '../server';
import type { LabelledAnswers } from '../server/labelledAnswers';
import { ledgerPathOf } from '../../src/core/report/loadCostReport';
import { workspaceLedgerText } from '../support/ledgerText';
import { runCli } from '../support/cli';
import { loadedTokenizers, testEstimator } from '../support/estimator';
import { fakeApiKey } from '../support/fakeKeys';
import { repositoryRoot } from '../support/repository';
import { harnessClient, Scratch } from './clientHarness';

const SECRET = fakeApiKey('compare-secret-456');
const root = repositoryRoot();
const dataset = readDatasetFile(path.join(root, 'examples', 'data', 'labelled-tickets.csv'))!;
/** How often each model names the right label: the dearer, the more often. */
const ACCURACY: Readonly<Record<string, number>> = {
  'gpt-4o': 1,
  'gpt-4.1-mini': 0.95,
  'gpt-4o-mini': 0.9,
  'gpt-4.1-nano': 0.6,
};
const labelled: LabelledAnswers = {
  items: dataset.rows.map((row) => ({ match: `Ticket ${row.ticket_id}\n`, label: row.expected! })),
  labels: [...new Set(dataset.rows.map((row) => row.expected!))],
  accuracy: ACCURACY,
};
const PROMPT = 'prompts/ticket-routing-compare.prompt.md';
const CANDIDATES = 'gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano';

function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-compare-'));
  cpSync(path.join(root, 'examples', 'prompts'), path.join(folder, 'prompts'), { recursive: true });
  cpSync(path.join(root, 'examples', 'data'), path.join(folder, 'data'), { recursive: true });
  return folder;
}

interface JsonModel {
  model: string;
  passed: number;
  total: number;
  passRate: number;
  interval: [number, number];
  costUsd: number;
  costPer1kRows: { standard: number; batch: number };
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  truncated: number;
  edits: unknown[];
}

describe('promptmeter compare', () => {
  let server: TestServer;
  const scratch = new Scratch();
  const tokenizers = loadedTokenizers();
  before(async () => {
    server = await startTestServer({ rpm: 6000, tpm: 1_000_000, labelledAnswers: labelled });
  });
  after(async () => {
    await server.close();
    await scratch.cleanUp();
  });

  it("--json prints exactly the issue's object; rates lie in their intervals; the cheapest model above the threshold is recommended; the cost equals the ledger", async () => {
    const folder = workspace();
    const result = await runCli(
      ['compare', PROMPT, '--models', CANDIDATES, '--rows', '40', '--yes', '--json', '--base-url', server.url],
      folder,
      { OPENAI_API_KEY: SECRET },
    );
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      rows: number;
      reference: string;
      threshold: number;
      models: JsonModel[];
      recommended: string | null;
      judgeCostUsd: number;
    };
    assert.deepEqual(Object.keys(json), ['rows', 'reference', 'threshold', 'models', 'recommended', 'judgeCostUsd']);
    for (const model of json.models) {
      assert.deepEqual(Object.keys(model), [
        'model',
        'passed',
        'total',
        'passRate',
        'interval',
        'costUsd',
        'costPer1kRows',
        'latencyP50Ms',
        'latencyP95Ms',
        'truncated',
        'edits',
      ]);
    }
    assert.equal(json.rows, 40);
    assert.equal(json.reference, 'gpt-4o');
    assert.equal(json.threshold, 0.9);
    assert.deepEqual(
      json.models.map((model) => model.model),
      ['gpt-4o', 'gpt-4.1-mini', 'gpt-4o-mini', 'gpt-4.1-nano'],
    );
    for (const model of json.models) {
      assert.equal(model.total, 40);
      assert.ok(
        model.interval[0] <= model.passRate && model.passRate <= model.interval[1],
        `${model.model}: ${model.passRate} in ${model.interval}`,
      );
      // The reference is always right, so agreement with it is the model's accuracy: the interval should cover it.
      const accuracy = ACCURACY[model.model]!;
      assert.ok(
        model.interval[0] <= accuracy && accuracy <= model.interval[1],
        `${model.model}: accuracy ${accuracy} in ${model.interval}`,
      );
      assert.ok(model.costPer1kRows.batch < model.costPer1kRows.standard);
    }
    const nano = json.models.find((model) => model.model === 'gpt-4.1-nano')!;
    assert.ok(nano.passRate < 0.9, 'the cheapest model is wrong too often');
    const passing = json.models
      .filter((model) => model.passRate >= 0.9)
      .sort((left, right) => left.costPer1kRows.standard - right.costPer1kRows.standard);
    assert.ok(passing.length >= 2);
    assert.equal(json.recommended, passing[0]!.model);
    assert.notEqual(json.recommended, 'gpt-4o', 'a cheaper model agrees often enough');
    const savedFiles = readdirSync(path.join(folder, '.promptmeter', 'comparisons'));
    assert.equal(savedFiles.length, 1);
    const savedText = readFileSync(path.join(folder, '.promptmeter', 'comparisons', savedFiles[0]!), 'utf8');
    const saved = JSON.parse(savedText) as { id: string; file: string; disagreements: unknown[]; promptHash: string };
    assert.equal(saved.file, PROMPT);
    assert.ok(saved.disagreements.length > 0);
    const ledgerText = workspaceLedgerText(folder);
    const entries = ledgerText
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { runId?: string; source?: string; costUsd: number });
    const ofComparison = entries.filter((entry) => entry.runId === saved.id);
    assert.equal(ofComparison.length, 4 * 40);
    assert.ok(ofComparison.every((entry) => entry.source === `compare:${PROMPT}`));
    const ledgerUsd = ofComparison.reduce((sum, entry) => sum + entry.costUsd, 0);
    const reportedUsd = json.models.reduce((sum, model) => sum + model.costUsd, 0) + json.judgeCostUsd;
    assert.ok(
      ledgerUsd > 0 && Math.abs(ledgerUsd - reportedUsd) < 1e-12,
      `ledger ${ledgerUsd} = reported ${reportedUsd}`,
    );
    assert.ok(
      !ledgerText.includes(SECRET) && !savedText.includes(SECRET),
      'the key is in neither the ledger nor the result',
    );
  });

  it('free text is scored by embedding similarity: the embeddings are in the ledger and in judgeCostUsd; a second run is answered from the cache for $0', async () => {
    const folder = workspace();
    const args = [
      'compare',
      'prompts/faq-from-dataset.prompt.md',
      '--models',
      'gpt-4.1-mini',
      '--rows',
      '5',
      '--yes',
      '--json',
      '--base-url',
      server.url,
    ];
    const first = await runCli(args, folder, { OPENAI_API_KEY: SECRET });
    assert.equal(first.code, 0, first.stderr);
    const json = JSON.parse(first.stdout) as { reference: string; models: JsonModel[]; judgeCostUsd: number };
    assert.equal(json.reference, 'gpt-4o-mini');
    assert.ok(json.judgeCostUsd > 0, 'the similarity embeddings cost something');
    const comparisons = path.join(folder, '.promptmeter', 'comparisons');
    const firstSaved = JSON.parse(readFileSync(path.join(comparisons, readdirSync(comparisons)[0]!), 'utf8')) as {
      id: string;
      scoring: string;
    };
    assert.match(firstSaved.scoring, /embedding cosine ≥ 0\.85/);
    const ledger = () =>
      workspaceLedgerText(folder)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { runId?: string; endpoint: string; costUsd: number });
    const ofFirst = ledger().filter((entry) => entry.runId === firstSaved.id);
    assert.equal(
      ofFirst.filter((entry) => entry.endpoint === 'embeddings').length,
      1,
      'one embeddings call for the whole comparison',
    );
    const ledgerUsd = ofFirst.reduce((sum, entry) => sum + entry.costUsd, 0);
    const reportedUsd = json.models.reduce((sum, model) => sum + model.costUsd, 0) + json.judgeCostUsd;
    assert.ok(Math.abs(ledgerUsd - reportedUsd) < 1e-12, `ledger ${ledgerUsd} = reported ${reportedUsd}`);
    const second = JSON.parse((await runCli(args, folder, { OPENAI_API_KEY: SECRET })).stdout) as {
      models: JsonModel[];
      judgeCostUsd: number;
    };
    assert.deepEqual(
      second.models.map((model) => model.costUsd),
      [0, 0],
    );
    assert.equal(second.judgeCostUsd, 0);
    assert.deepEqual(
      second.models.map((model) => model.latencyP50Ms),
      [null, null],
      'cache hits say nothing about latency',
    );
    assert.deepEqual(
      second.models.map((model) => model.passed),
      json.models.map((model) => model.passed),
    );
  });

  it('without --yes and without a terminal nothing is sent', async () => {
    const folder = workspace();
    const before = server.stats().requests;
    const result = await runCli(['compare', PROMPT, '--models', CANDIDATES, '--base-url', server.url], folder, {
      OPENAI_API_KEY: SECRET,
    });
    assert.equal(result.code, 2);
    assert.match(result.stdout, /Compare prompts\/ticket-routing-compare\.prompt\.md on 20 of 40 rows: 80 calls/);
    assert.match(result.stdout, /estimated cost ~\$/);
    assert.match(result.stderr, /re-run with --yes/);
    assert.equal(server.stats().requests, before);
    assert.equal(existsSync(ledgerPathOf(folder)), false);
  });

  it('a GitHub Models .prompt.yml is compared on its testData and scored by its own evaluators (from the parser, typed)', async () => {
    const folder = workspace();
    const file = {
      name: 'Ticket routing',
      model: 'openai/gpt-4o',
      modelParameters: { maxTokens: 10, temperature: 0 },
      messages: [
        {
          role: 'system',
          content:
            'Reply with exactly one label, lower-case: billing, account_access, bug, feature_request, integrations, data_privacy, cancellation, other.',
        },
        { role: 'user', content: 'Ticket {{ticket_id}}\nSubject: {{subject}}\n\n{{body}}' },
      ],
      testData: dataset.rows.map((row) => ({
        ticket_id: row.ticket_id,
        subject: row.subject,
        body: row.body,
        expected: row.expected,
      })),
      evaluators: [
        { name: 'right label', string: { equals: '{{expected}}' } },
        { name: 'not scored', uses: 'github/coherence' },
      ],
    };
    writeFileSync(path.join(folder, 'prompts', 'routing.prompt.yml'), stringify(file));
    const result = await runCli(
      [
        'compare',
        'prompts/routing.prompt.yml',
        '--models',
        'gpt-4.1-nano',
        '--rows',
        '40',
        '--yes',
        '--json',
        '--base-url',
        server.url,
      ],
      folder,
      { OPENAI_API_KEY: SECRET },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /rows from testData/);
    assert.match(result.stderr, /scored by the prompt's 2 evaluator/);
    const json = JSON.parse(result.stdout) as { reference: string; models: JsonModel[]; recommended: string | null };
    assert.equal(json.reference, 'evaluators');
    const byModel = Object.fromEntries(json.models.map((model) => [model.model, model]));
    assert.equal(byModel['gpt-4o']!.passed, 40, 'the labels are right for gpt-4o');
    assert.equal(byModel['gpt-4.1-nano']!.passed, Math.round(ACCURACY['gpt-4.1-nano']! * 40));
    assert.equal(json.recommended, 'gpt-4o');
    const saved = JSON.parse(
      readFileSync(
        path.join(
          folder,
          '.promptmeter',
          'comparisons',
          readdirSync(path.join(folder, '.promptmeter', 'comparisons'))[0]!,
        ),
        'utf8',
      ),
    ) as { scoring: string };
    assert.match(saved.scoring, /github\/coherence/, 'the evaluator it cannot score is named, not silently passed');
  });

  it("with the prompt's evaluators (equals {{expected}}), pass rates are each model's accuracy on the labels", async () => {
    const estimator = testEstimator(tokenizers);
    const file = path.join(root, 'examples', 'prompts', 'ticket-routing-compare.prompt.md');
    const text = readFileSync(file, 'utf8');
    const parsed = estimator.parse('prompts/ticket-routing-compare.prompt.md', text, 'prompt-markdown');
    const prompt = parsed.prompts[0]!;
    const { client, ledger } = harnessClient(server.url, await scratch.directory());
    const pricing = new Pricing();
    const saved = await compareModels({
      prompt,
      file: 'prompts/ticket-routing-compare.prompt.md',
      task: 'classify',
      rows: dataset.rows,
      rowCount: 40,
      candidates: ['gpt-4o', 'gpt-4.1-mini', 'gpt-4.1-nano'].map((model, index) => ({
        model,
        changes: index === 0 ? [] : [{ kind: 'set-model' as const, model }],
        estimatedRowUsd: null,
      })),
      client,
      pricing,
      overrides: {},
      evaluators: [{ name: 'right label', string: { equals: '{{expected}}' } }],
      threshold: 0.9,
      similarityModel: SIMILARITY_MODEL,
      comparisonId: 'evaluators-test',
      promptHash: 'x',
      now: () => new Date('2026-12-01T00:00:00Z'),
    });
    await client.close();
    assert.equal(saved.reference, 'evaluators');
    const byModel = Object.fromEntries(saved.models.map((model) => [model.model, model]));
    assert.equal(byModel['gpt-4o']!.passRate, 1);
    for (const model of saved.models) {
      const accuracy = ACCURACY[model.model]!;
      assert.ok(
        model.interval[0] <= accuracy && accuracy <= model.interval[1],
        `${model.model}: accuracy ${accuracy} in ${model.interval}`,
      );
    }
    assert.ok(byModel['gpt-4.1-nano']!.passRate < 0.9);
    assert.equal(saved.recommended, byModel['gpt-4.1-mini']!.passRate >= 0.9 ? 'gpt-4.1-mini' : 'gpt-4o');
    assert.equal(saved.judgeCostUsd, 0);
    assert.ok(existsSync(ledger.filePath));
  });
});
