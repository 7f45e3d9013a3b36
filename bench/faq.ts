/**
 * bench/faq — the field guide's FAQ pipeline (documents → chunks ≤ 500 words → cached embeddings to find the
 * context and similar questions → a small model with max_tokens 256 → retries on 429 → results stored and
 * reused) against its "before", in one run, on the local test server started as a child process with rate limits:
 *   naive            every question as is, gpt-4o, the whole document of the question's category, no max_tokens,
 *                    no cache, no dedupe, p-limit(8) over a fresh OpenAI SDK client with its default retries (2);
 *                    questions that still fail are re-sent in further rounds until every one is answered
 *   naivePromiseAll  one round of Promise.all (all 300 at once), failures kept: for reference, not compared
 *   promptMeter      examples/faq through our code: splitDocument (≤ 500 words), PromptMeterClient.embed,
 *                    best chunk as {{context}}, prepareRun (identical dedupe, groupSimilarJobs at 0.92 with
 *                    compatibleQuestions), executeRun on gpt-4o-mini with max_tokens 256, RunStore run folder
 *   promptMeterAgain the same questions again with a new client over the same disk cache: must send nothing
 * Workload: examples/faq (7 documents, 300 labelled questions). Server: RPM 600, TPM 150 000 (1 s burst),
 * latency 190–210 ms, seed 7, every answer 160 tokens (within 256, so max_tokens never truncates here).
 * Answers are synthetic: quality is not measured. Prints one JSON object, then a one-line summary.
 * Run: node esbuild.mjs && node out/bench/faq.js   (about 4 minutes, mostly waiting on the TPM limit; docs/faq-benchmark.md)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pricing } from '../src/core/pricing/pricing';
import { SIMILARITY_MODEL } from '../src/core/models/defaultModels';
import { Tokenizers } from '../src/core/tokens/tokenizers';
import type { PipelineRun } from './support/faqMeasure';
import { costAttribution, headline, reportPipeline, type PipelineReport } from './support/faqReport';
import { loadFaqScenario, NAIVE_MODEL, type FaqScenario } from './support/faqScenario';
import { runNaivePipeline } from './support/naivePipeline';
import { runPromptMeterPipeline, type PromptMeterPass } from './support/promptMeterPipeline';
import { similaritySweep, wrongPairs } from './support/similaritySweep';
import { startServerProcess, type ServerProcess } from './support/testServerProcess';
import { fakeApiKey } from '../test/support/fakeKeys';

const RPM = 600;
const TPM = 150_000;
const LATENCY_MS = 190;
const LATENCY_JITTER_MS = 20;
const SEED = 7;
const ANSWER_TOKENS = 160;
const NAIVE_CONCURRENCY = 8;
/** The naive operator re-runs the failed questions until all are answered (the cap only guards against a loop). */
const NAIVE_MAX_ROUNDS = 50;
/** promptmeter.semanticDedupeThreshold's default (what `run --similar` uses), not tuned on this data; the sweep shows its neighbourhood. */
const THRESHOLD = 0.92;
const SWEEP = [0.8, 0.85, 0.9, 0.92, 0.95];
const API_KEY = fakeApiKey('bench-not-a-real-key');

const root = path.resolve(__dirname, '..', '..');

async function measure(
  server: ServerProcess,
  scenario: FaqScenario,
  pricing: Pricing,
  body: () => Promise<PipelineRun>,
): Promise<{ run: PipelineRun; report: PipelineReport }> {
  await server.reset();
  await new Promise((resolve) => setTimeout(resolve, 1_100)); // buckets full, as after a quiet period
  await server.reset();
  const run = await body();
  return { run, report: reportPipeline(run, await server.stats(), scenario, pricing, SIMILARITY_MODEL, TPM) };
}

async function main(): Promise<void> {
  const scenario = loadFaqScenario(path.join(root, 'examples', 'faq'));
  const server = await startServerProcess({
    rpm: RPM,
    tpm: TPM,
    burstSeconds: 1,
    latencyMs: LATENCY_MS,
    latencyJitterMs: LATENCY_JITTER_MS,
    seed: SEED,
    answerTokens: ANSWER_TOKENS,
  });
  const tokenizers = new Tokenizers(path.join(root, 'dist', 'assets', 'tiktoken'));
  const scratch = await mkdtemp(path.join(tmpdir(), 'promptmeter-bench-faq-'));
  const pricing = new Pricing();
  try {
    const ours = (name: string, work: string) => ({
      name,
      url: server.url,
      apiKey: API_KEY,
      limits: { rpm: RPM, tpm: TPM, concurrency: 8 },
      threshold: THRESHOLD,
      tokenizers,
      workDirectory: path.join(scratch, work),
      cacheDirectory: path.join(scratch, 'cache'),
    });
    const naive = await measure(server, scenario, pricing, () =>
      runNaivePipeline(scenario, {
        url: server.url,
        apiKey: API_KEY,
        concurrency: NAIVE_CONCURRENCY,
        maxRounds: NAIVE_MAX_ROUNDS,
      }),
    );
    const promiseAll = await measure(server, scenario, pricing, () =>
      runNaivePipeline(scenario, { url: server.url, apiKey: API_KEY, maxRounds: 1 }),
    );
    let pass: PromptMeterPass | undefined;
    const promptMeter = await measure(
      server,
      scenario,
      pricing,
      async () => (pass = await runPromptMeterPipeline(scenario, ours('promptMeter', 'first'))).run,
    );
    const again = await measure(
      server,
      scenario,
      pricing,
      async () => (await runPromptMeterPipeline(scenario, ours('promptMeterAgain', 'second'))).run,
    );
    const sweep = similaritySweep(pass!.jobs, pass!.vectorOf, scenario, SWEEP);
    report(scenario, [naive.report, promiseAll.report, promptMeter.report, again.report], {
      headline: headline(naive.report, promptMeter.report),
      costAttribution: costAttribution(naive.run, promptMeter.run, promptMeter.report, scenario, pricing, NAIVE_MODEL),
      similarity: {
        threshold: THRESHOLD,
        sweep,
        wrongPairsAtThreshold: wrongPairs(pass!.jobs, pass!.vectorOf, scenario, THRESHOLD),
      },
    });
  } finally {
    server.stop();
    tokenizers.dispose();
    await rm(scratch, { recursive: true, force: true });
  }
}

function report(
  scenario: FaqScenario,
  pipelines: PipelineReport[],
  analysis: { headline: ReturnType<typeof headline>; costAttribution: unknown; similarity: unknown },
): void {
  const texts = new Set(scenario.questions.map((question) => question.question));
  const intents = new Set(scenario.questions.map((question) => question.intent));
  const workload = {
    documents: scenario.documents.length,
    documentWords: scenario.documents.reduce(
      (total, document) => total + (document.text.match(/\S+/g) ?? []).length,
      0,
    ),
    questions: scenario.questions.length,
    distinctQuestionTexts: texts.size,
    intents: intents.size,
    server: {
      rpm: RPM,
      tpm: TPM,
      burstSeconds: 1,
      latencyMs: [LATENCY_MS, LATENCY_MS + LATENCY_JITTER_MS],
      seed: SEED,
      answerTokens: ANSWER_TOKENS,
    },
    prices:
      'bundled dated prices (see each cost); cost = chat usage (cached input at the cached rate) + embeddings input',
  };
  console.log(JSON.stringify({ bench: 'faq', workload, pipelines, ...analysis }, null, 2));
  const { duplicateCallsAvoided: duplicates, meanLatencyPerAnsweredQuestion: latency, cost } = analysis.headline;
  const verdict = (beats: boolean) => (beats ? 'beats' : 'MISSES');
  const cells = pipelines.map(
    (pipeline) =>
      `${pipeline.name} ${(pipeline.wallMs / 1000).toFixed(1)}s (TPM bound ${(pipeline.tpmBoundMs / 1000).toFixed(1)}s) http=${pipeline.httpCalls} completions=${pipeline.completionsServed} 429=${pipeline.rateLimited429} failed=${pipeline.failed} $${pipeline.costUsd.total.toFixed(4)}`,
  );
  console.log(
    `faq bench: duplicate calls avoided ${duplicates.valuePct}% (guide 64%, ${verdict(duplicates.beats)}) | mean latency ${latency.changePct}% (guide -47%, ${verdict(latency.beats)}) | cost ${cost.changePct}% (guide -31%, ${verdict(cost.beats)}) | ${cells.join(' | ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
