import { findFileIncludes } from '../chunking/fileIncludes';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CallOptions } from '../client/callOptions';
import type { CallResult } from '../client/callResult';
import type { Estimator } from '../estimate/estimator';
import { SIMILARITY_MODEL } from '../models/defaultModels';
import { REFUSAL_CODES, tooLargeDiagnostic } from '../prompts/parsePromptFile';
import type { ParsedPromptFile, PromptFormat } from '../prompts/promptTypes';
import type { PriceOverrides } from '../pricing/priceOverride';
import { hasDataset, promptDataset, readDatasetFile, type Dataset } from './dataset';
import type { Refusal } from './refusals';
import { expandJobs } from './expandJobs';
import type { RunJob } from './runJob';
import { planRun, type PlanLimits, type RunPlan } from './runPlan';
import { followersOf, groupSimilarJobs, type SimilarGroup } from './similarQuestions';

export interface RunSourceFile {
  readonly absolutePath: string;
  /** Workspace-relative, `/`-separated: how jobs and results name the file. */
  readonly displayPath: string;
  readonly format: PromptFormat;
}

export interface PrepareOptions {
  readonly modelOverride?: string;
  /** `--data FILE`: a dataset for prompts that have variables but no `data:` of their own. */
  readonly dataFile?: string;
  readonly overrides: PriceOverrides;
  readonly maxFileBytes: number;
  readonly limits: PlanLimits;
  readonly budgetUsd?: number;
  /** Group similar questions (embeddings); reuse answers only when `reuse` is on. */
  readonly similarity?: { readonly threshold: number; readonly reuse: boolean; readonly embed: Embedder };
  /** Known answers in the response cache (for the plan's "after cache hits"). */
  readonly isCached?: (job: RunJob) => Promise<boolean>;
  /** Job ids already answered (resume). */
  readonly done?: ReadonlySet<string>;
}

/** Embeds texts (cached per text by the client); used to find similar questions. */
export type Embedder = (
  request: EmbeddingCreateParams,
  options: CallOptions,
) => Promise<CallResult<CreateEmbeddingResponse>>;

export interface PreparedRun {
  readonly jobs: RunJob[];
  readonly problems: string[];
  /** Prompts not sent: a file error or a setting the model rejects (file, line, parameter, fix). */
  readonly refused: Refusal[];
  readonly plan: RunPlan;
  readonly similarGroups: SimilarGroup[];
  /** follower → leader, when answers of similar questions are reused. */
  readonly followers: Map<string, string>;
}

/**
 * Everything before a run spends money: parse the files, load their datasets, expand the jobs, find
 * similar questions, check the cache, and plan cost and duration.
 */
export async function prepareRun(
  files: readonly RunSourceFile[],
  estimator: Estimator,
  options: PrepareOptions,
): Promise<PreparedRun> {
  const parsed: ParsedPromptFile[] = [];
  const sourceOf = new Map<string, RunSourceFile>();
  for (const file of files) {
    sourceOf.set(file.displayPath, file);
    const size = statSync(file.absolutePath).size;
    if (size > options.maxFileBytes) {
      parsed.push({
        file: file.displayPath,
        format: file.format,
        prompts: [],
        diagnostics: [tooLargeDiagnostic(size, options.maxFileBytes)],
      });
      continue;
    }
    const text = readFileSync(file.absolutePath, 'utf8');
    const parse = estimator.parse(file.displayPath, text, file.format);
    await estimator.estimate(parse, text, options.modelOverride);
    parsed.push(parse);
  }
  const datasets = new Map<string, Dataset | undefined>();
  const { jobs, problems, refused } = expandJobs(parsed, {
    estimate: estimator.options(options.modelOverride, false),
    overrides: options.overrides,
    datasetFor: (prompt) => {
      if (hasDataset(prompt)) return promptDataset(prompt, sourceOf.get(prompt.file)?.absolutePath);
      const file = options.dataFile;
      if (!file) return undefined;
      if (!datasets.has(file)) datasets.set(file, readDatasetFile(file));
      return datasets.get(file);
    },
    useDataFor: (prompt) => hasDataset(prompt) || (options.dataFile !== undefined && prompt.variables.length > 0),
  });
  // A document that another prompt reads (chunk: / {{file:}}) is that prompt's input, not a prompt of its own.
  const documents = new Set(jobs.filter((job) => job.mapReduce).map((job) => job.mapReduce!.documentPath));
  for (const parse of parsed) {
    for (const prompt of parse.prompts) {
      for (const message of prompt.messages) {
        for (const include of findFileIncludes(message.template ?? ''))
          documents.add(path.posix.normalize(path.posix.join(path.posix.dirname(parse.file), include.path)));
      }
    }
  }
  const runnable = jobs.filter((job) => !documents.has(job.file));
  jobs.length = 0;
  jobs.push(...runnable);
  for (const parse of parsed) {
    for (const diagnostic of parse.diagnostics) {
      if (REFUSAL_CODES.has(diagnostic.code)) problems.push(`${parse.file}: ${diagnostic.message}`);
    }
  }
  let similarGroups: SimilarGroup[] = [];
  if (options.similarity) similarGroups = await findSimilar(jobs, options.similarity);
  const followers = options.similarity?.reuse ? followersOf(similarGroups) : new Map<string, string>();
  const cached = new Set<string>();
  if (options.isCached) {
    for (const job of jobs) if (!options.done?.has(job.id) && (await options.isCached(job))) cached.add(job.id);
  }
  const plan = planRun({
    jobs,
    done: options.done,
    cached,
    similar: followers,
    limits: options.limits,
    budgetUsd: options.budgetUsd,
  });
  return { jobs, problems, refused, plan, similarGroups, followers };
}

async function findSimilar(
  jobs: readonly RunJob[],
  similarity: NonNullable<PrepareOptions['similarity']>,
): Promise<SimilarGroup[]> {
  // Only a prompt run over dataset rows asks "the same question in other words"; batch lines are taken as written.
  const candidates = jobs.filter(
    (job) => job.endpoint === 'chat.completions' && job.row !== undefined && job.question.trim(),
  );
  const questions = [...new Set(candidates.map((job) => job.question))];
  if (questions.length < 2) return [];
  const vectors = new Map<string, number[]>();
  for (let start = 0; start < questions.length; start += 256) {
    const batch = questions.slice(start, start + 256);
    const answer = await similarity.embed({ model: SIMILARITY_MODEL, input: batch }, { source: 'similar questions' });
    answer.response.data.forEach((item, index) => vectors.set(batch[index]!, item.embedding));
  }
  return groupSimilarJobs(candidates, (question) => vectors.get(question), { threshold: similarity.threshold });
}
