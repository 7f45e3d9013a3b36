import { createHash } from 'node:crypto';
import path from 'node:path';
import { estimatePrompt, type EstimateOptions } from '../estimate/estimatePrompt';
import type { ParsedPromptFile, PromptDefinition, PromptMessage } from '../prompts/promptTypes';
import { canonicalJson } from '../cache/canonicalJson';
import { chooseChatApi } from '../client/chatApi';
import { resolveModel } from '../models/resolveModel';
import { datasetLabel, hasDataset, type Dataset } from './dataset';
import { promptRequest, type ChatRequestBody, type EmbeddingRequestBody, type RequestBody } from './promptRequest';
import { contextOverflow, refusalsFor, refusalText, type Refusal } from './refusals';
import type { JobEstimate, RunJob } from './runJob';
import type { PromptEstimate } from '../estimate/promptEstimate';
import type { PriceOverrides } from '../pricing/priceOverride';

export interface ExpandOptions {
  readonly estimate: EstimateOptions;
  readonly overrides: PriceOverrides;
  /** The dataset named by a prompt's `data:` (already loaded), or undefined when it could not be read. */
  readonly datasetFor: (prompt: PromptDefinition) => Dataset | undefined;
  /** Whether a prompt runs once per dataset row (default: when it names `data:`). */
  readonly useDataFor?: (prompt: PromptDefinition) => boolean;
}

export interface ExpandedJobs {
  readonly jobs: RunJob[];
  /** Problems that skip jobs, one sentence each with file and line. */
  readonly problems: string[];
  /** Prompts not sent because the file has an error or the model rejects a setting (also in `problems`). */
  readonly refused: Refusal[];
}

/**
 * Turns parsed prompt files into the run's jobs: each prompt × each row of its dataset (columns fill
 * `{{variables}}`), plus every line of Batch `.jsonl` files. Ids are stable, so a re-run resumes.
 */
export function expandJobs(files: readonly ParsedPromptFile[], options: ExpandOptions): ExpandedJobs {
  const jobs: RunJob[] = [];
  const problems: string[] = [];
  const refused: Refusal[] = [];
  for (const file of files) {
    if (file.prompts.length === 0) {
      for (const diagnostic of file.diagnostics) {
        if (diagnostic.severity === 'error')
          problems.push(`${file.file}:${diagnostic.span.start.line + 1}: ${diagnostic.message}`);
      }
    }
    for (const prompt of file.prompts) {
      // A Copilot prompt file is chat context for VS Code, not a request to send.
      if (prompt.copilot) continue;
      const estimate = estimatePrompt(prompt, { ...options.estimate, recommend: false });
      // A dataset prompt is judged row by row against the context window (each row with its own values).
      const rowsApart = file.format !== 'batch-jsonl' && (options.useDataFor ?? hasDataset)(prompt);
      const refusals = refusalsFor(file, prompt, estimate, { rowsApart });
      if (refusals.length > 0) {
        refused.push(...refusals);
        problems.push(...refusals.map(refusalText));
        continue;
      }
      const model = estimate.model;
      const base = {
        file: file.file,
        endpoint: jobEndpoint(prompt, model, options.overrides),
        model,
        estimate: jobEstimate(estimate),
      };
      if (estimate.mapReduce) {
        const spec = {
          settings: estimate.mapReduce.settings,
          documentPath: path.posix.normalize(
            path.posix.join(path.posix.dirname(file.file), estimate.mapReduce.documentPath),
          ),
          ...(prompt.messages[0]?.role === 'system' ? { systemPrompt: prompt.messages[0].content } : {}),
          task: estimate.task,
        };
        const request = promptRequest(prompt, model, undefined, options.overrides);
        jobs.push({
          ...base,
          id: file.file,
          request,
          dedupeKey: requestDigest('map-reduce', { ...spec, model } as unknown as RequestBody),
          question: '',
          mapReduce: spec,
        });
        continue;
      }
      if (file.format === 'batch-jsonl') {
        jobs.push(
          job({ ...base, id: `${file.file}#${prompt.id}` }, promptRequest(prompt, model, undefined, options.overrides)),
        );
        continue;
      }
      if (!(options.useDataFor ?? hasDataset)(prompt)) {
        jobs.push(job({ ...base, id: file.file }, promptRequest(prompt, model, undefined, options.overrides)));
        continue;
      }
      const dataset = options.datasetFor(prompt);
      if (!dataset) {
        problems.push(
          `${file.file}: the dataset "${prompt.dataFile ?? '--data'}" could not be read; its jobs are skipped.`,
        );
        continue;
      }
      const label = hasDataset(prompt) ? datasetLabel(prompt) : '--data';
      for (const problem of dataset.problems) problems.push(`${label}: ${problem}`);
      // A variable with neither a value in the file nor a runtime default must come from the row: sending it empty
      // would be a wasted call. (One with a sample value keeps it, as before: e.g. a retrieved {{context}}.)
      const required = prompt.variables
        .filter((variable) => !variable.hasDefault && variable.value === undefined)
        .map((variable) => variable.name);
      dataset.rows.forEach((row, index) => {
        const absent = required.filter((name) => !Object.prototype.hasOwnProperty.call(row, name));
        if (absent.length > 0) {
          problems.push(
            `${file.file}: row ${index + 1} of ${label} has no ${absent.map((name) => `"${name}"`).join(', ')} column, which {{${absent[0]}}} needs; the row is not sent. Add the column to the dataset (or a default for the variable).`,
          );
          return;
        }
        const request = promptRequest(prompt, model, row, options.overrides);
        const estimated = rowEstimate(prompt, request, options.estimate);
        const rowOverflow = contextOverflow(file.file, prompt, estimated, index + 1);
        if (rowOverflow) {
          refused.push(rowOverflow);
          problems.push(refusalText(rowOverflow));
          return;
        }
        const rowBase = { ...base, estimate: jobEstimate(estimated) };
        jobs.push(job({ ...rowBase, id: `${file.file}#row-${index + 1}`, row: index + 1 }, request));
      });
    }
  }
  return { jobs, problems, refused };
}

/**
 * Embeddings, or the API a chat prompt goes through (`chooseChatApi`: its `api:`, else Responses for models
 * served only there). Batch `.jsonl` lines keep Chat Completions: their bodies are sent as written.
 */
function jobEndpoint(prompt: PromptDefinition, model: string, overrides: PriceOverrides): RunJob['endpoint'] {
  if (prompt.kind === 'embedding') return 'embeddings';
  if (prompt.rawBody) return 'chat.completions';
  return chooseChatApi(prompt.api, resolveModel(model, overrides).endpoints) === 'responses'
    ? 'responses'
    : 'chat.completions';
}

/** The estimate of one dataset row: the prompt with the row's values in its messages (rows differ in length). */
function rowEstimate(prompt: PromptDefinition, request: RequestBody, options: EstimateOptions): PromptEstimate {
  const rendered = 'messages' in request ? request.messages : undefined;
  // A template's loops and conditions can give a row more or fewer messages than the samples did.
  const messages = rendered
    ? rendered.map((message, index) => ({
        ...prompt.messages[index],
        role: message.role as PromptMessage['role'],
        content: message.content,
        insertions: [],
      }))
    : prompt.messages;
  return estimatePrompt({ ...prompt, messages }, { ...options, recommend: false });
}

function jobEstimate(estimate: PromptEstimate): JobEstimate {
  return {
    inputTokens: estimate.inputTokens,
    outputTokens: estimate.outputTokens,
    costUsd: estimate.cost?.total ?? null,
    batchCostUsd: estimate.cost?.batchTotal ?? null,
  };
}

function job(base: Omit<RunJob, 'request' | 'dedupeKey' | 'question'>, request: RequestBody): RunJob {
  return { ...base, request, dedupeKey: requestDigest(base.endpoint, request), question: questionOf(request) };
}

/** SHA-256 of the canonical request (sorted keys): equal for identical jobs. */
export function requestDigest(endpoint: string, request: RequestBody): string {
  return createHash('sha256').update(canonicalJson({ endpoint, request })).digest('hex');
}

function questionOf(request: RequestBody): string {
  if (!Array.isArray((request as ChatRequestBody).messages)) {
    const input = (request as EmbeddingRequestBody).input;
    return Array.isArray(input) ? input.join('\n') : input;
  }
  const messages = (request as ChatRequestBody).messages;
  for (let index = messages.length - 1; index >= 0; index--)
    if (messages[index]?.role === 'user') return messages[index]!.content;
  return '';
}
