import { promptMapReduce, withIncludedFiles, type DocumentReader } from '../chunking/promptMapReduce';
import { resolveModel } from '../models/resolveModel';
import { estimateCost, ratesFor } from '../pricing/cost';
import { atFlexRates } from '../pricing/modelPrice';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import type { PromptDefinition } from '../prompts/promptTypes';
import { declaredValue } from '../prompts/declaredParameters';
import { countChatTokens } from '../tokens/chatFraming';
import { imageTokens } from '../tokens/imageTokens';
import type { EncodingName } from '../tokens/encodingForModel';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { ImageTokens, OutputBound, PromptEstimate, VariableTokens } from './promptEstimate';
import { requestProblems } from '../models/requestRules';
import { expectReasoning, type ReasoningHistory } from './reasoningEstimate';
import { recommendModel } from './recommender';
import { detectTask } from './taskDetection';

export interface EstimateOptions {
  readonly pricing: Pricing;
  readonly overrides: PriceOverrides;
  /** Used when the prompt names no model (setting `promptmeter.defaultModel`). */
  readonly defaultModel: string;
  /** Replaces every prompt's model (CLI `--model`, "cost on each model" pickers). */
  readonly modelOverride?: string;
  /** A loaded counter for the encoding; estimates are computed only once the tokenizer is ready. */
  readonly counterFor: (encoding: EncodingName) => TokenCounter;
  readonly recommend?: boolean;
  /** Reads documents named by `{{file:path}}` and `chunk:` (paths relative to the prompt file); no reader, no documents. */
  readonly readDocument?: DocumentReader;
  /** Reasoning tokens of this prompt's recent calls (from the ledger); without it, per-effort assumptions. */
  readonly reasoningHistory?: ReasoningHistory;
}

/** Estimates one prompt: tokens with OpenAI's framing, cost on the chosen model, output bound, recommendation. */
export function estimatePrompt(written: PromptDefinition, options: EstimateOptions): PromptEstimate {
  const included = options.readDocument
    ? withIncludedFiles(written, options.readDocument)
    : { prompt: written, missing: [] };
  const prompt = included.prompt;
  const modelName = options.modelOverride ?? prompt.model ?? options.defaultModel;
  const modelSource = options.modelOverride ? 'override' : prompt.model ? 'file' : 'default';
  const model = resolveModel(modelName, options.overrides);
  const counter = options.counterFor(model.encoding.encoding);

  let inputTokens: number;
  let messages: PromptEstimate['breakdown']['messages'] = [];
  let framing = 0;
  let tools = 0;
  let images: ImageTokens[] = [];
  if (prompt.kind === 'embedding') {
    inputTokens =
      prompt.embeddingInputs.reduce((sum, text) => sum + counter.count(text), 0) + prompt.embeddingTokenArrayLength;
  } else {
    const counted = countChatTokens(counter, prompt.messages, prompt.tools);
    inputTokens = counted.total;
    framing = counted.framing;
    tools = counted.tools;
    messages = prompt.messages.map((message, index) => ({
      role: message.role,
      tokens: counted.perMessage[index] ?? 0,
    }));
    // Images are input tokens too, by the model's image rule (never silently zero); what was assumed is named.
    images = prompt.messages.flatMap((message) =>
      (message.images ?? []).map((image) => ({ source: image.source, ...imageTokens(modelName, image) })),
    );
    inputTokens += images.reduce((sum, image) => sum + image.tokens, 0);
  }

  const { outputTokens, outputBound } = outputBoundFor(prompt, model.maxOutputTokens);
  // A Copilot prompt file is chat context, not an API request: tokens only (no price, hence no recommendation).
  const standardPrice = prompt.copilot ? undefined : options.pricing.priceFor(modelName);
  // service_tier flex on a model that serves it is billed at Batch API rates; the Batch API column is then the same.
  const flex =
    prompt.kind === 'chat' &&
    model.flexProcessing === true &&
    declaredValue(prompt.parameters, 'service_tier') === 'flex';
  const price = standardPrice && flex ? atFlexRates(standardPrice) : standardPrice;
  const priced = price ? estimateCost(price, inputTokens, outputTokens) : undefined;
  const cost = priced && flex ? { ...priced, batchTotal: priced.total } : priced;
  const requested = prompt.maxTokens !== undefined ? prompt.maxTokens * prompt.choices : 0;
  const contextTokens = inputTokens + requested;
  const exceedsContext = model.contextWindow !== undefined && contextTokens > model.contextWindow;
  const { task, source } = detectTask(prompt);
  const reasoning = prompt.kind === 'chat' ? expectReasoning(prompt, model, options.reasoningHistory) : undefined;
  const rates = price && reasoning ? ratesFor(price, inputTokens) : undefined;
  const recommendation =
    cost && options.recommend !== false
      ? recommendModel(
          {
            task,
            prompt,
            currentModel: modelName,
            currentCost: cost,
            inputTokens,
            outputTokens,
            reasoningHistory: options.reasoningHistory,
          },
          options.pricing,
          options.overrides,
        )
      : undefined;
  const mapReduce =
    prompt.chunk !== undefined && options.readDocument
      ? promptMapReduce(written, modelName, task, options.readDocument, counter, options.pricing, options.overrides)
      : undefined;
  const documentProblems = [
    ...included.missing.map(
      (path) => `{{file:${path}}} cannot be read (paths are relative to the prompt file); it is counted as empty.`,
    ),
    ...(mapReduce?.problems ?? []),
  ];
  const variables: VariableTokens[] = prompt.variables.map((variable) => ({
    name: variable.name,
    tokensEach: variable.value ? counter.count(variable.value) : 0,
    occurrences: variable.occurrences,
    value: variable.value,
  }));
  // A map-reduce prompt costs what its run costs: every map and reduce call (at their output caps).
  const plan = mapReduce?.mapReduce?.plan;
  const runCost = plan?.cost;
  return {
    prompt,
    model: modelName,
    modelSource,
    modelKnown: model.known,
    encoding: model.encoding.encoding,
    approximate: model.encoding.approximate,
    inputTokens: plan ? plan.totalInputTokens : inputTokens,
    outputTokens: plan ? plan.totalOutputTokens : outputTokens,
    outputBound: plan ? 'max_tokens' : outputBound,
    cost: plan ? runCost : cost,
    price,
    ...(flex ? { flex } : {}),
    contextWindow: model.contextWindow,
    contextTokens,
    exceedsContext,
    requestProblems: requestProblems(prompt, model),
    ...(reasoning
      ? { reasoning, ...(rates ? { reasoningCost: (reasoning.expectedTokens * (rates.output ?? 0)) / 1e6 } : {}) }
      : {}),
    task,
    taskSource: source,
    // For map-reduce prompts the one-call comparison takes the place of a model recommendation.
    recommendation: plan ? undefined : recommendation,
    breakdown: { messages, framing, tools, variables, ...(images.length > 0 ? { images } : {}) },
    ...(mapReduce?.mapReduce ? { mapReduce: mapReduce.mapReduce } : {}),
    ...(documentProblems.length > 0 ? { documentProblems } : {}),
  };
}

function outputBoundFor(
  prompt: PromptDefinition,
  modelMaximum: number | undefined,
): { outputTokens: number; outputBound: OutputBound } {
  if (prompt.kind === 'embedding' || prompt.copilot) return { outputTokens: 0, outputBound: 'none' };
  if (prompt.maxTokens !== undefined)
    return { outputTokens: prompt.maxTokens * prompt.choices, outputBound: 'max_tokens' };
  if (modelMaximum !== undefined) return { outputTokens: modelMaximum * prompt.choices, outputBound: 'model-maximum' };
  return { outputTokens: 0, outputBound: 'unknown' };
}
