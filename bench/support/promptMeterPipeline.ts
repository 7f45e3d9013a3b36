import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitDocument } from '../../src/core/chunking/documentChunker';
import { createPromptMeterClient } from '../../src/core/client/createClient';
import type { PromptMeterClient } from '../../src/core/client/promptMeterClient';
import { Estimator } from '../../src/core/estimate/estimator';
import { Ledger } from '../../src/core/ledger/ledger';
import { Pricing } from '../../src/core/pricing/pricing';
import { executeRun } from '../../src/core/runs/executeRun';
import type { RunJob } from '../../src/core/runs/runJob';
import { SIMILARITY_MODEL } from '../../src/core/models/defaultModels';
import { prepareRun } from '../../src/core/runs/prepareRun';
import { RunStore } from '../../src/core/runs/runStore';
import { cosineSimilarity } from '../../src/core/runs/similarQuestions';
import { parseSettings } from '../../src/core/settings/settings';
import type { Tokenizers } from '../../src/core/tokens/tokenizers';
import { elapsedSince, type PipelineRun, type QuestionOutcome } from './faqMeasure';
import { TOPIC_DOCUMENTS, type FaqScenario } from './faqScenario';

/** Chunk size of the field guide: at most 500 words (the token bound only guards against pathological text). */
export const CHUNK_MAX_WORDS = 500;
const CHUNK_MAX_TOKENS = 2_000;

export interface PromptMeterOptions {
  readonly name: string;
  readonly url: string;
  readonly apiKey: string;
  readonly limits: { readonly rpm: number; readonly tpm: number; readonly concurrency: number };
  /** Cosine similarity at or above which two compatible questions share one answer. */
  readonly threshold: number;
  /** Scratch folder of this pass: the generated workspace, run folders and ledger. */
  readonly workDirectory: string;
  /** Disk cache folder; a second pass that shares it with the first should make no HTTP call. */
  readonly cacheDirectory: string;
  readonly tokenizers: Tokenizers;
}

/** A pass of the Prompt Meter pipeline, plus what the bench needs to analyse grouping afterwards. */
export interface PromptMeterPass {
  readonly run: PipelineRun;
  readonly jobs: readonly RunJob[];
  /** Embedding of a question text (from the pass's own embeddings calls). */
  readonly vectorOf: (question: string) => readonly number[] | undefined;
}

/**
 * documents → chunks ≤ 500 words → embeddings of chunks and questions through the client (cached per text) →
 * the best chunk per question as `{{context}}` → `prepareRun` (identical requests deduped, similar questions
 * grouped at `threshold`, `compatibleQuestions` keeping negations and numbers apart) → `executeRun` on the small
 * model with `max_tokens` 256 through the one client (throttled, retried, cached), results stored in a run folder.
 */
export async function runPromptMeterPipeline(
  scenario: FaqScenario,
  options: PromptMeterOptions,
): Promise<PromptMeterPass> {
  const { settings } = parseSettings({
    baseUrl: options.url,
    rateLimits: {
      default: { rpm: options.limits.rpm, tpm: options.limits.tpm, concurrency: options.limits.concurrency },
    },
  });
  const pricing = new Pricing();
  const ledger = new Ledger(path.join(options.workDirectory, 'ledger.jsonl'));
  const counter = await options.tokenizers.load('o200k_base');
  const client = createPromptMeterClient(settings, {
    apiKey: options.apiKey,
    pricing,
    counterFor: (encoding) => options.tokenizers.peek(encoding),
    cacheDirectory: options.cacheDirectory,
    ledger,
  });
  const startedAt = Date.now();
  try {
    const chunks = scenario.documents.flatMap((document) =>
      splitDocument(document.text, counter, { maxTokens: CHUNK_MAX_TOKENS, maxWords: CHUNK_MAX_WORDS }).map(
        (chunk) => ({ file: document.file, text: chunk.text, words: chunk.words }),
      ),
    );
    const chunkVectors = await embedAll(
      client,
      chunks.map((chunk) => chunk.text),
    );
    const questionTexts = [...new Set(scenario.questions.map((question) => question.question))];
    const questionVectors = await embedAll(client, questionTexts);
    const best = new Map<string, (typeof chunks)[number]>();
    for (const text of questionTexts) {
      const vector = questionVectors.get(text)!;
      let winner = chunks[0]!;
      let winnerScore = -Infinity;
      for (const chunk of chunks) {
        const score = cosineSimilarity(vector, chunkVectors.get(chunk.text)!);
        if (score > winnerScore) [winner, winnerScore] = [chunk, score];
      }
      best.set(text, winner);
    }

    const workspace = path.join(options.workDirectory, 'workspace');
    writeWorkspace(scenario, workspace, (question) => best.get(question)!.text);
    const estimator = new Estimator(options.tokenizers, {
      defaultModel: settings.defaultModel,
      pricingOverrides: {},
      maxFileBytes: settings.maxFileBytes,
    });
    const prepared = await prepareRun(
      [
        {
          absolutePath: path.join(workspace, 'answer.prompt.md'),
          displayPath: 'answer.prompt.md',
          format: 'prompt-markdown',
        },
      ],
      estimator,
      {
        overrides: {},
        maxFileBytes: settings.maxFileBytes,
        limits: { requestsPerMinute: options.limits.rpm, tokensPerMinute: options.limits.tpm },
        similarity: {
          threshold: options.threshold,
          reuse: true,
          embed: (request, callOptions) => client.embed(request, callOptions),
        },
        isCached: (job) => client.hasCachedAnswer(job.request as never),
      },
    );
    if (prepared.jobs.length !== scenario.questions.length)
      throw new Error(
        `expected ${scenario.questions.length} jobs, got ${prepared.jobs.length}: ${prepared.problems.join('; ')}`,
      );
    const store = new RunStore(path.join(options.workDirectory, 'runs'));
    const folder = store.create('answer.prompt.md', prepared.jobs, prepared.plan.costUsd);
    const outcome = await executeRun(folder, client, { semanticFollowers: prepared.followers, ledger });
    const results = folder.results();
    const outcomes: QuestionOutcome[] = prepared.jobs.map((job) => {
      const result = results.get(job.id);
      const row = job.row ?? 0;
      if (!result || result.error) return { row, answeredAfterMs: undefined, source: 'failed', model: job.model };
      const answeredAfterMs = Date.parse(result.finishedAt) - startedAt;
      if (result.cache !== 'miss') return { row, answeredAfterMs, source: result.cache, model: job.model };
      const usage = {
        promptTokens: result.usage.promptTokens,
        cachedTokens: result.usage.cachedTokens,
        completionTokens: result.usage.completionTokens,
      };
      return { row, answeredAfterMs, source: 'sent', model: job.model, usage };
    });
    const counters = client.counters();
    const topicOf = new Map(scenario.questions.map((question) => [question.question, question.topic]));
    return {
      run: {
        name: options.name,
        description: `${prepared.jobs[0]?.model} with max_tokens 256, best chunk (≤ ${CHUNK_MAX_WORDS} words) as context, identical dedupe, similar grouping at ${options.threshold}, PromptMeterClient (rpm ${options.limits.rpm}, tpm ${options.limits.tpm}, concurrency ${options.limits.concurrency}), disk cache, run folder`,
        wallMs: elapsedSince(startedAt),
        maxTokensPerCall: scenario.prompt.maxTokens ?? 0,
        outcomes,
        details: {
          status: outcome.status,
          chunks: chunks.length,
          largestChunkWords: Math.max(...chunks.map((chunk) => chunk.words)),
          distinctQuestionTexts: questionTexts.length,
          contextFromCategoryDocument: questionTexts.filter(
            (text) => best.get(text)!.file === TOPIC_DOCUMENTS[topicOf.get(text)!],
          ).length,
          similarGroups: prepared.similarGroups.length,
          plan: {
            calls: prepared.plan.calls,
            duplicates: prepared.plan.duplicates,
            similarReused: prepared.plan.similarReused,
            knownCacheHits: prepared.plan.knownCacheHits,
          },
          clientCounters: counters,
          runFolder: path.relative(options.workDirectory, folder.directory),
        },
      },
      jobs: prepared.jobs,
      vectorOf: (question) => questionVectors.get(question),
    };
  } finally {
    await client.close();
  }
}

/** Embeds texts through the client in one call per 256 (only texts not cached are sent). */
async function embedAll(client: PromptMeterClient, texts: readonly string[]): Promise<Map<string, number[]>> {
  const vectors = new Map<string, number[]>();
  for (let start = 0; start < texts.length; start += 256) {
    const batch = texts.slice(start, start + 256);
    const answer = await client.embed({ model: SIMILARITY_MODEL, input: batch }, { source: 'faq retrieval' });
    answer.response.data.forEach((item, index) => vectors.set(batch[index]!, item.embedding));
  }
  return vectors;
}

/** The prompt next to a copy of questions.csv with a `context` column filled by retrieval (the prompt's `data:`). */
function writeWorkspace(scenario: FaqScenario, workspace: string, contextOf: (question: string) => string): void {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(path.join(workspace, 'answer.prompt.md'), scenario.promptText);
  const cell = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const lines = scenario.questions.map((question) =>
    [question.question, question.topic, question.intent, contextOf(question.question)].map(cell).join(','),
  );
  writeFileSync(path.join(workspace, 'questions.csv'), `question,topic,intent,context\n${lines.join('\n')}\n`);
}
