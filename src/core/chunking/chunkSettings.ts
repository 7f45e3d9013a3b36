import { MINIMUM_CHUNK_TOKENS } from './documentChunker';
import { hasPlaceholder } from './mapReduceMessages';

/**
 * The `chunk:` front matter section: how a long document is split and summarized with map-reduce.
 * Token values are tokens of the prompt model's encoding.
 */
export interface ChunkSettings {
  /** Document path relative to the prompt file; undefined when the body includes it with `{{file:path}}`. */
  readonly document?: string;
  /** Most tokens per chunk, overlap included. */
  readonly maxTokens: number;
  /** Most words per chunk (the field guide's "≤ 500 words"); unlimited when undefined. */
  readonly maxWords?: number;
  /** Tokens of whole trailing sentences repeated at the start of the next chunk; < maxTokens. */
  readonly overlapTokens: number;
  /** Map prompt; `{{chunk}}` is replaced by the chunk's text. */
  readonly map: string;
  /** `max_tokens` of each map call. */
  readonly mapMaxTokens: number;
  /** Reduce prompt; `{{partials}}` is replaced by the partial answers, separated by `---` lines. */
  readonly reduce: string;
  /** `max_tokens` of each reduce call (and of the final answer). */
  readonly reduceMaxTokens: number;
  /** Most input tokens of one reduce call, on top of the reduce model's context window; none when undefined. */
  readonly reduceInputBudget?: number;
  /** Model of the map calls; undefined means the prompt's model. Reduce calls use the prompt's model. */
  readonly model?: string;
}

export const CHUNK_DEFAULTS = {
  maxTokens: 2000,
  overlapTokens: 0,
  mapMaxTokens: 300,
  reduceMaxTokens: 800,
} as const;

export const DEFAULT_MAP_TEMPLATE = 'Summarize this part of the document in at most 5 bullet points:\n\n{{chunk}}';
export const DEFAULT_REDUCE_TEMPLATE = 'Combine these partial summaries into one summary:\n\n{{partials}}';

/** A problem in the `chunk:` section. `key` is the dotted front matter path (`chunk.maxTokens`) so callers can place it. */
export interface ChunkSettingsProblem {
  readonly key: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** Receives problems as they are found (a diagnostics collector, or an array's push). */
export type ChunkProblemSink = (problem: ChunkSettingsProblem) => void;

const KNOWN_KEYS = [
  'document',
  'maxTokens',
  'maxWords',
  'overlapTokens',
  'map',
  'mapMaxTokens',
  'reduce',
  'reduceMaxTokens',
  'reduceInputBudget',
  'model',
] as const;

/**
 * Reads the `chunk:` section of parsed front matter. Undefined when there is none (or `chunk: false`).
 * `chunk: docs/report.md` is short for `chunk: { document: docs/report.md }`; `chunk: true` uses every
 * default. Invalid values are reported to `report` and replaced by their default; nothing throws.
 * `reduceMaxTokens` defaults to `promptMaxTokens`, else the front matter's `max_completion_tokens` /
 * `max_tokens`, else 800.
 */
export function readChunkSettings(
  frontMatter: Readonly<Record<string, unknown>>,
  report: ChunkProblemSink,
  promptMaxTokens?: number,
): ChunkSettings | undefined {
  const raw = frontMatter.chunk;
  if (raw === undefined || raw === null || raw === false) return undefined;
  let section: Readonly<Record<string, unknown>>;
  if (raw === true) section = {};
  else if (typeof raw === 'string') section = { document: raw };
  else if (typeof raw === 'object' && !Array.isArray(raw)) section = raw as Record<string, unknown>;
  else {
    report({
      key: 'chunk',
      severity: 'error',
      message: 'chunk: must be a mapping of settings (document, maxTokens, map, reduce, …) or a document path.',
    });
    return undefined;
  }
  for (const key of Object.keys(section)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      report({
        key: `chunk.${key}`,
        severity: 'warning',
        message: `chunk.${key} is not a chunk setting and is ignored; known settings: ${KNOWN_KEYS.join(', ')}.`,
      });
    }
  }
  const read = new SectionReader(section, report);
  const maxTokens = read.integer('maxTokens', CHUNK_DEFAULTS.maxTokens, MINIMUM_CHUNK_TOKENS);
  let overlapTokens = read.integer('overlapTokens', CHUNK_DEFAULTS.overlapTokens, 0);
  if (overlapTokens >= maxTokens) {
    report({
      key: 'chunk.overlapTokens',
      severity: 'warning',
      message: `chunk.overlapTokens (${overlapTokens}) must be smaller than chunk.maxTokens (${maxTokens}); using 0.`,
    });
    overlapTokens = 0;
  }
  const fallbackReduceMaxTokens =
    promptMaxTokens ??
    positiveInteger(frontMatter.max_completion_tokens) ??
    positiveInteger(frontMatter.max_tokens) ??
    CHUNK_DEFAULTS.reduceMaxTokens;
  return {
    document: read.text('document'),
    maxTokens,
    maxWords: read.optionalInteger('maxWords', 1),
    overlapTokens,
    map: read.template('map', DEFAULT_MAP_TEMPLATE, 'chunk'),
    mapMaxTokens: read.integer('mapMaxTokens', CHUNK_DEFAULTS.mapMaxTokens, 1),
    reduce: read.template('reduce', DEFAULT_REDUCE_TEMPLATE, 'partials'),
    reduceMaxTokens: read.integer('reduceMaxTokens', fallbackReduceMaxTokens, 1),
    reduceInputBudget: read.optionalInteger('reduceInputBudget', 1),
    model: read.text('model'),
  };
}

/** Typed reads of one section's values, reporting each invalid value once. */
class SectionReader {
  constructor(
    private readonly section: Readonly<Record<string, unknown>>,
    private readonly report: ChunkProblemSink,
  ) {}

  integer(key: string, fallback: number, minimum: number): number {
    return this.optionalInteger(key, minimum, fallback) ?? fallback;
  }

  optionalInteger(key: string, minimum: number, fallback?: number): number | undefined {
    const value = this.section[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= minimum) return value;
    const instead = fallback === undefined ? 'it is ignored' : `using ${fallback}`;
    this.warn(key, `chunk.${key} must be a whole number ≥ ${minimum}, got ${JSON.stringify(value)}; ${instead}.`);
    return undefined;
  }

  text(key: string): string | undefined {
    const value = this.section[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.warn(key, `chunk.${key} must be a non-empty text, got ${JSON.stringify(value)}; it is ignored.`);
    return undefined;
  }

  template(key: string, fallback: string, placeholder: string): string {
    const value = this.section[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.warn(key, `chunk.${key} must be a prompt text, got ${JSON.stringify(value)}; using the default prompt.`);
      return fallback;
    }
    if (!hasPlaceholder(value, placeholder)) {
      this.warn(
        key,
        `chunk.${key} has no {{${placeholder}}} placeholder; the ${placeholder} text is appended after a blank line.`,
      );
    }
    return value;
  }

  private warn(key: string, message: string): void {
    this.report({ key: `chunk.${key}`, severity: 'warning', message });
  }
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
