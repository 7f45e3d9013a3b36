import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import type { PromptDefinition, TaskKind } from '../prompts/promptTypes';
import type { TokenCounter } from '../tokens/tokenCounter';
import { readChunkSettings, type ChunkSettings } from './chunkSettings';
import { splitDocument } from './documentChunker';
import { findFileIncludes } from './fileIncludes';
import { planMapReduce } from './mapReducePlan';
import type { MapReducePlan } from './mapReducePlanTypes';
import { compareWithSingleCall, type SingleCallComparison } from './singleCallComparison';

/**
 * Reads a document a prompt names, by its path relative to the prompt file; undefined when it cannot. A reader of
 * files may also read a binary file's first bytes (`readHead`: an image's size is in its header).
 */
export interface DocumentReader {
  (promptFile: string, relativePath: string): string | undefined;
  readonly readHead?: (promptFile: string, relativePath: string, maxBytes: number) => Uint8Array | undefined;
}

/** A prompt that summarizes a long document with map-reduce: its settings, plan, and the one-call alternative. */
export interface PromptMapReduce {
  readonly settings: ChunkSettings;
  readonly documentPath: string;
  readonly documentTokens: number;
  readonly plan: MapReducePlan;
  readonly comparison: SingleCallComparison;
}

export interface PromptMapReduceResult {
  readonly mapReduce?: PromptMapReduce;
  /** Sentences the user can act on (bad `chunk:` values, a document that cannot be read). */
  readonly problems: readonly string[];
}

/**
 * Works out map-reduce for a prompt with a `chunk:` front matter section: reads the document (`chunk.document`
 * or the body's `{{file:path}}`), splits it, plans map and reduce calls on the prompt's models, and compares
 * with one call on the cheapest adequate model whose context holds the whole document.
 */
export function promptMapReduce(
  prompt: PromptDefinition,
  model: string,
  task: TaskKind,
  readDocument: DocumentReader,
  counter: TokenCounter,
  pricing: Pricing,
  overrides: PriceOverrides,
): PromptMapReduceResult {
  const problems: string[] = [];
  const settings = readChunkSettings(
    { chunk: prompt.chunk },
    (problem) => problems.push(`${problem.key}: ${problem.message}`),
    prompt.maxTokens,
  );
  if (!settings) return { problems };
  const documentPath = settings.document ?? firstInclude(prompt);
  if (!documentPath) {
    problems.push('chunk: name the document with chunk.document or put {{file:path}} in the prompt.');
    return { problems };
  }
  const text = readDocument(prompt.file, documentPath);
  if (text === undefined) {
    problems.push(`chunk: the document "${documentPath}" cannot be read (paths are relative to the prompt file).`);
    return { problems };
  }
  const chunks = recentSplit(text, counter, {
    maxTokens: settings.maxTokens,
    overlapTokens: settings.overlapTokens,
    ...(settings.maxWords ? { maxWords: settings.maxWords } : {}),
  });
  const systemPrompt = prompt.messages.find(
    (message) => message.role === 'system' || message.role === 'developer',
  )?.content;
  const plan = planMapReduce({
    document: { text, chunks },
    mapTemplate: settings.map,
    reduceTemplate: settings.reduce,
    ...(systemPrompt ? { systemPrompt } : {}),
    mapModel: settings.model ?? model,
    reduceModel: model,
    mapMaxTokens: settings.mapMaxTokens,
    reduceMaxTokens: settings.reduceMaxTokens,
    ...(settings.reduceInputBudget ? { reduceInputBudget: settings.reduceInputBudget } : {}),
    counter,
    pricing,
    overrides,
  });
  const comparison = compareWithSingleCall(plan, pricing, { task, overrides });
  return {
    mapReduce: { settings, documentPath, documentTokens: counter.count(text), plan, comparison },
    problems: [...problems, ...plan.problems],
  };
}

/** The last few splits by document text and options (the reader returns the same string while the file is unchanged). */
const recentSplits: Array<{
  text: string;
  options: string;
  counter: TokenCounter;
  chunks: ReturnType<typeof splitDocument>;
}> = [];
const RECENT_SPLITS = 4;

/**
 * `splitDocument`, remembered: live estimates re-plan a map-reduce prompt on every edit of the prompt, but its
 * document rarely changes, and splitting a 29k-token document takes ~40 ms.
 */
function recentSplit(
  text: string,
  counter: TokenCounter,
  options: Parameters<typeof splitDocument>[2],
): ReturnType<typeof splitDocument> {
  const key = JSON.stringify(options);
  const known = recentSplits.find((entry) => entry.counter === counter && entry.options === key && entry.text === text);
  if (known) return known.chunks;
  const chunks = splitDocument(text, counter, options);
  recentSplits.unshift({ text, options: key, counter, chunks });
  recentSplits.length = Math.min(recentSplits.length, RECENT_SPLITS);
  return chunks;
}

function firstInclude(prompt: PromptDefinition): string | undefined {
  for (const message of prompt.messages) {
    const include = findFileIncludes(message.template ?? message.content)[0];
    if (include) return include.path;
  }
  return undefined;
}

/** The prompt with each `{{file:path}}` replaced by the file's text (so a single call is counted with its document). */
export function withIncludedFiles(
  prompt: PromptDefinition,
  readDocument: DocumentReader,
): { prompt: PromptDefinition; missing: string[] } {
  const missing: string[] = [];
  let changed = false;
  const messages = prompt.messages.map((message) => {
    const includes = findFileIncludes(message.content);
    if (includes.length === 0) return message;
    let content = '';
    let position = 0;
    for (const include of includes) {
      const text = readDocument(prompt.file, include.path);
      if (text === undefined) missing.push(include.path);
      content += message.content.slice(position, include.start) + (text ?? '');
      position = include.end;
    }
    changed = true;
    return { ...message, content: content + message.content.slice(position) };
  });
  return { prompt: changed ? { ...prompt, messages } : prompt, missing };
}
