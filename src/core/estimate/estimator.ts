import type { DocumentReader } from '../chunking/promptMapReduce';
import type { PriceOverrides } from '../pricing/priceOverride';
import { Pricing } from '../pricing/pricing';
import { parsePromptFile } from '../prompts/parsePromptFile';
import type { FrontMatterCache } from '../prompts/frontMatter';
import { workspacePromptContext } from '../prompts/promptContext';
import type { TemplateCache } from '../prompts/templateEngines';
import type { ParsedPromptFile, PromptFormat } from '../prompts/promptTypes';
import type { EncodingName } from '../tokens/encodingForModel';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { Tokenizers } from '../tokens/tokenizers';
import { encodingsNeeded, estimateFile, type FileEstimate } from './estimateFile';
import type { EstimateOptions } from './estimatePrompt';
import type { ReasoningHistory } from './reasoningEstimate';

export interface EstimatorSettings {
  readonly defaultModel: string;
  readonly pricingOverrides: PriceOverrides;
  readonly maxFileBytes: number;
}

/**
 * The estimate engine shared by the editor and the CLI: parse → load the needed tokenizers → estimate.
 * `tryEstimate` is synchronous and answers only when the tokenizers are loaded (status bar, CodeLens);
 * `estimate` waits for them.
 */
export class Estimator {
  private pricing: Pricing;
  private reasoningHistory: ReasoningHistory | undefined;
  /** Compiled Prompty/Dotprompt templates across edits (bounded), so typing in static text does not recompile. */
  private readonly templates: TemplateCache = new Map();
  /** Parsed front matter across edits (bounded), so typing in a prompt's body does not re-parse its YAML. */
  private readonly frontMatters: FrontMatterCache = new Map();

  constructor(
    private readonly tokenizers: Tokenizers,
    private settings: EstimatorSettings,
    private readonly now: () => Date = () => new Date(),
    /** Reads `{{file:path}}` and `chunk:` documents; without it they are not counted. */
    private readonly readDocument?: DocumentReader,
  ) {
    this.pricing = new Pricing(settings.pricingOverrides, now);
  }

  updateSettings(settings: EstimatorSettings): void {
    this.settings = settings;
    this.pricing = new Pricing(settings.pricingOverrides, this.now);
  }

  /** Recent calls per prompt (from the ledger), so reasoning expectations follow what the prompt really spends. */
  useReasoningHistory(history: ReasoningHistory | undefined): void {
    this.reasoningHistory = history;
  }

  get currentPricing(): Pricing {
    return this.pricing;
  }

  parse(file: string, text: string, format: PromptFormat): ParsedPromptFile {
    return parsePromptFile(
      file,
      text,
      format,
      this.settings.maxFileBytes,
      workspacePromptContext(this.readDocument, this.templates, undefined, this.frontMatters),
    );
  }

  /** Loads every encoding `parsed` needs (and for `modelOverride`), then estimates. */
  async estimate(parsed: ParsedPromptFile, text: string, modelOverride?: string): Promise<FileEstimate> {
    await this.load(this.needed(parsed, modelOverride));
    const estimate = this.tryEstimate(parsed, text, modelOverride);
    if (!estimate) throw new Error('tokenizer not loaded');
    return estimate;
  }

  /** The estimate if the tokenizers it needs are loaded; otherwise starts loading them and returns undefined. */
  tryEstimate(parsed: ParsedPromptFile, text: string, modelOverride?: string): FileEstimate | undefined {
    const needed = this.needed(parsed, modelOverride);
    const missing = [...needed].filter((encoding) => !this.tokenizers.peek(encoding));
    if (missing.length > 0) {
      void this.load(new Set(missing)).catch(() => undefined);
      return undefined;
    }
    return estimateFile(parsed, text, this.options(modelOverride));
  }

  /** Options for estimating prompts directly (e.g. the cost of one prompt on every model). */
  options(modelOverride?: string, recommend = true): EstimateOptions {
    return {
      pricing: this.pricing,
      overrides: this.settings.pricingOverrides,
      defaultModel: this.settings.defaultModel,
      modelOverride,
      recommend,
      counterFor: (encoding) => this.counter(encoding),
      ...(this.readDocument ? { readDocument: this.readDocument } : {}),
      ...(this.reasoningHistory ? { reasoningHistory: this.reasoningHistory } : {}),
    };
  }

  counter(encoding: EncodingName): TokenCounter {
    const counter = this.tokenizers.peek(encoding);
    if (!counter) throw new Error(`tokenizer ${encoding} is not loaded yet`);
    return counter;
  }

  async load(encodings: Iterable<EncodingName>): Promise<void> {
    await Promise.all([...encodings].map((encoding) => this.tokenizers.load(encoding)));
  }

  private needed(parsed: ParsedPromptFile, modelOverride?: string): Set<EncodingName> {
    return encodingsNeeded(parsed, {
      defaultModel: this.settings.defaultModel,
      modelOverride,
      overrides: this.settings.pricingOverrides,
    });
  }
}
