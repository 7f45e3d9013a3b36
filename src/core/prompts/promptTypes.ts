import type { PromptImage } from '../tokens/imageTokens';
import type { FunctionDefinition } from '../tokens/chatFraming';
import type { ChatParameterName, DeclaredParameter } from './declaredParameters';
import type { PromptEvaluator } from './githubModelsPrompt';
import type { PromptTemplate } from './promptTemplate';

export type PromptFormat = 'prompt-markdown' | 'prompty' | 'dotprompt' | 'github-models' | 'batch-jsonl' | 'plain-text';

/** The OpenAI API a chat prompt is sent through. */
export type PromptApi = 'chat' | 'responses';

export type MessageRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export const TASK_KINDS = [
  'summarize',
  'translate',
  'classify',
  'extract',
  'qa',
  'rewrite',
  'code',
  'reasoning',
  'embedding',
  'chat',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Zero-based line and UTF-16 character, as VS Code counts them. */
export interface TextPosition {
  readonly line: number;
  readonly character: number;
}

export interface TextSpan {
  readonly start: TextPosition;
  readonly end: TextPosition;
}

/** Where a variable was inserted into a message's rendered content. */
export interface VariableInsertion {
  readonly name: string;
  /** UTF-16 offset in the rendered content. */
  readonly offset: number;
  readonly length: number;
}

export interface PromptMessage {
  readonly role: MessageRole;
  /** Content with variables filled from their sample values. */
  readonly content: string;
  /** The unrendered text (with `{{variables}}`), so batch runs can fill it from dataset rows. */
  readonly template?: string;
  readonly name?: string;
  readonly span?: TextSpan;
  readonly insertions: readonly VariableInsertion[];
  /** Image inputs (Prompty `![alt](path)`, Dotprompt `{{media url=…}}`): input tokens by the model's image rule. */
  readonly images?: readonly PromptImage[];
}

export interface PromptVariable {
  readonly name: string;
  /** Sample value used for the estimate; undefined when the file gives none (counted as empty). */
  readonly value: string | undefined;
  readonly occurrences: number;
  /**
   * The format gives a default used at run time too (Prompty `inputs.x.default`, Dotprompt `input.default`), so a
   * dataset need not have the column; sample values (`sample:`, `variables:`, testData) are not defaults.
   */
  readonly hasDefault?: boolean;
}

/** One request the file describes: a whole prompt file, or one line of a Batch `.jsonl`. */
export interface PromptDefinition {
  /** The JSONL `custom_id` for batch lines, otherwise the file path. */
  readonly id: string;
  readonly file: string;
  readonly format: PromptFormat;
  readonly kind: 'chat' | 'embedding';
  readonly model?: string;
  /** Where the model name is written, so it can be changed in place. */
  readonly modelSpan?: TextSpan;
  /** `max_tokens` (or the format's equivalent) per choice. */
  readonly maxTokens?: number;
  /** Where the output cap is written (front matter path or body key), so edits can change it in place. */
  readonly maxTokensPath?: readonly string[];
  /** Number of choices (`n`); the output bound is maxTokens × n. */
  readonly choices: number;
  /**
   * Every other API parameter the prompt declares (temperature, response_format, seed, reasoning_effort, …), under
   * its Chat Completions name; sent as written and part of the cache key.
   */
  readonly parameters: readonly DeclaredParameter[];
  /** The API the prompt declares (`api: responses`, Prompty v2 `apiType`); undefined: the model's default. */
  readonly api?: PromptApi;
  /** Declared with `task:`; otherwise detected later from the text. */
  readonly declaredTask?: TaskKind;
  readonly messages: readonly PromptMessage[];
  readonly embeddingInputs: readonly string[];
  /** Inputs already given as token arrays (embeddings): their token count is known without a tokenizer. */
  readonly embeddingTokenArrayLength: number;
  readonly tools: readonly FunctionDefinition[];
  readonly variables: readonly PromptVariable[];
  /** Anchor for CodeLens: the first line of the prompt, or the JSONL line. */
  readonly span: TextSpan;
  /** Dataset (front matter `data:`) whose rows fill the variables in batch runs. */
  readonly dataFile?: string;
  /** Dataset rows written in the file itself (GitHub Models `testData`); used when there is no `dataFile`. */
  readonly dataRows?: readonly Readonly<Record<string, unknown>>[];
  /**
   * The body as its format's engine renders it (Prompty jinja2/mustache, Dotprompt Handlebars): runs render dataset
   * rows through it with `renderPromptMessages`, so the request sent is what the estimate counted.
   */
  readonly template?: PromptTemplate;
  /**
   * A VS Code Copilot prompt file (`.github/prompts/`, or only Copilot keys): its tokens are the context it adds to a
   * chat; it is not an API request, so it gets no price, output bound, task or model recommendation.
   */
  readonly copilot?: boolean;
  /** GitHub Models `evaluators`, kept as written (not used for estimates). */
  readonly evaluators?: readonly PromptEvaluator[];
  /** The raw `chunk:` front matter value (long documents: map-reduce), read by the chunking module. */
  readonly chunk?: unknown;
  /** Batch `.jsonl` lines: the request body exactly as written (sent as is, with only the model replaceable). */
  readonly rawBody?: Readonly<Record<string, unknown>>;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface PromptDiagnostic {
  readonly span: TextSpan;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  /** Stable id so quick fixes can find their diagnostics (`promptmeter.<code>`). */
  readonly code: string;
  /** A change that resolves the diagnostic, offered as a quick fix. */
  readonly fix?: PromptFix;
}

export type PromptFix =
  | { readonly kind: 'set-max-tokens'; readonly value: number; readonly title: string }
  | { readonly kind: 'set-model'; readonly model: string; readonly title: string }
  | { readonly kind: 'change'; readonly changes: readonly PromptChange[]; readonly title: string };

/**
 * One change to a prompt's settings, written in the file's own format by `promptChangeEdits` (front matter,
 * Prompty `model.parameters`/`model.options`, Dotprompt `config`, a Batch line's body).
 */
export type PromptChange =
  | { readonly kind: 'set-model'; readonly model: string }
  | { readonly kind: 'set-max-tokens'; readonly value: number }
  | { readonly kind: 'remove-parameter'; readonly name: ChatParameterName }
  | { readonly kind: 'set-parameter'; readonly name: ChatParameterName; readonly value: string | number | boolean };

export interface FrontMatterBlock {
  /** Offsets in the file of the YAML text between the `---` lines. */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Offset just after the closing `---` line (where the body starts). */
  readonly bodyStart: number;
  readonly data: Record<string, unknown>;
}

export interface ParsedPromptFile {
  readonly file: string;
  readonly format: PromptFormat;
  readonly prompts: readonly PromptDefinition[];
  readonly diagnostics: readonly PromptDiagnostic[];
  readonly frontMatter?: FrontMatterBlock;
}
