import type { FunctionDefinition } from '../tokens/chatFraming';
import { normalizeModelName } from '../tokens/encodingForModel';
import type { DeclaredParameter } from './declaredParameters';
import type { LineIndex } from './lineIndex';
import type {
  PromptApi,
  PromptDefinition,
  PromptDiagnostic,
  PromptFormat,
  PromptMessage,
  PromptVariable,
  TaskKind,
  TextSpan,
} from './promptTypes';
import { TASK_KINDS } from './promptTypes';
import type { PromptTemplate } from './promptTemplate';
import type { RoleSection } from './roleSections';
import { renderTemplate, stringify } from './template';

/** Settings read from a format's front matter, in one shape for all formats. */
export interface PromptSettings {
  readonly model?: string;
  readonly modelSpan?: TextSpan;
  readonly maxTokens?: number;
  readonly maxTokensPath?: readonly string[];
  readonly choices: number;
  readonly parameters: readonly DeclaredParameter[];
  readonly api?: PromptApi;
  readonly declaredTask?: TaskKind;
  readonly samples: Readonly<Record<string, unknown>>;
  /** Names whose value is a runtime default of the format (not only a sample for the estimate). */
  readonly defaultNames?: readonly string[];
  readonly tools: readonly FunctionDefinition[];
  readonly dataFile?: string;
  /** Dataset rows written in the prompt file itself (GitHub Models `testData`). */
  readonly dataRows?: readonly Readonly<Record<string, unknown>>[];
  readonly chunk?: unknown;
}

/** Renders role sections with sample values into one chat prompt, reporting placeholders without a sample. */
export function buildChatPrompt(
  file: string,
  format: PromptFormat,
  text: string,
  sections: readonly RoleSection[],
  settings: PromptSettings,
  lines: LineIndex,
  diagnostics: PromptDiagnostic[],
): PromptDefinition {
  const messages: PromptMessage[] = [];
  const occurrences = new Map<string, number>();
  const reported = new Set<string>();
  for (const section of sections) {
    const rendered = renderTemplate(section.text, settings.samples);
    for (const insertion of rendered.insertions)
      occurrences.set(insertion.name, (occurrences.get(insertion.name) ?? 0) + 1);
    for (const name of rendered.missing) {
      if (reported.has(name)) continue;
      reported.add(name);
      const at = section.text.search(new RegExp(`\\{\\{\\s*${escapeRegExp(name)}\\s*\\}\\}`));
      const start = section.start + Math.max(0, at);
      diagnostics.push({
        span: lines.span(start, start + name.length + 4),
        severity: 'warning',
        code: 'variable-without-sample',
        message: `{{${name}}} has no sample value, so the estimate counts it as empty. Add a sample value for "${name}" in the front matter.`,
      });
    }
    messages.push({
      role: section.role,
      content: rendered.content,
      template: section.text,
      span: lines.span(section.start, section.end),
      insertions: rendered.insertions,
    });
  }
  const variables: PromptVariable[] = [...occurrences].map(([name, count]) => {
    const value = settings.samples[name];
    return { name, value: value === undefined ? undefined : stringify(value), occurrences: count };
  });
  return assemblePrompt(file, format, text, messages, variables, settings, lines);
}

/** The parsed prompt from its rendered messages and the settings its front matter gives. */
export function assemblePrompt(
  file: string,
  format: PromptFormat,
  text: string,
  messages: readonly PromptMessage[],
  variables: readonly PromptVariable[],
  settings: PromptSettings,
  lines: LineIndex,
  template?: PromptTemplate,
): PromptDefinition {
  // CodeLens and whole-prompt hints sit on the first line of the file (the front matter's `---` when there is one).
  const firstContent = Math.max(0, text.search(/\S/));
  return {
    id: file,
    file,
    format,
    kind: 'chat',
    model: settings.model === undefined ? undefined : normalizeModelName(settings.model),
    modelSpan: settings.modelSpan,
    maxTokens: settings.maxTokens,
    maxTokensPath: settings.maxTokensPath,
    choices: settings.choices,
    parameters: settings.parameters,
    ...(settings.api ? { api: settings.api } : {}),
    declaredTask: settings.declaredTask,
    messages,
    embeddingInputs: [],
    embeddingTokenArrayLength: 0,
    tools: settings.tools,
    variables,
    span: lines.lineSpan(lines.position(Math.min(firstContent, text.length)).line),
    dataFile: settings.dataFile,
    ...(settings.dataRows ? { dataRows: settings.dataRows } : {}),
    ...(template ? { template } : {}),
    ...(settings.chunk === undefined || settings.chunk === null || settings.chunk === false
      ? {}
      : { chunk: settings.chunk }),
  };
}

/** Reads `task:`; an unknown value gets a warning listing the valid ones. */
export function readTask(
  value: unknown,
  span: TextSpan | undefined,
  diagnostics: PromptDiagnostic[],
  fallback: TextSpan,
): TaskKind | undefined {
  if (value === undefined || value === null) return undefined;
  const name = String(value).trim().toLowerCase();
  if ((TASK_KINDS as readonly string[]).includes(name)) return name as TaskKind;
  diagnostics.push({
    span: span ?? fallback,
    severity: 'warning',
    code: 'unknown-task',
    message: `Unknown task "${String(value)}". Use one of: ${TASK_KINDS.join(', ')}.`,
  });
  return undefined;
}

/** Reads a positive whole number (max_tokens, n); anything else gets a warning and is ignored. */
export function readPositiveInteger(
  value: unknown,
  key: string,
  span: TextSpan | undefined,
  diagnostics: PromptDiagnostic[],
  fallback: TextSpan,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (Number.isInteger(number) && number > 0) return number;
  diagnostics.push({
    span: span ?? fallback,
    severity: 'error',
    code: 'invalid-number',
    message: `${key} must be a whole number above 0 (got ${JSON.stringify(value)}). The request is not sent until this is fixed (it would go out without a cap).`,
  });
  return undefined;
}

/** Reads `api:` / `apiType:` (`chat` or `responses`); anything else gets a warning. */
export function readApi(
  value: unknown,
  span: TextSpan | undefined,
  diagnostics: PromptDiagnostic[],
  fallback: TextSpan,
): PromptApi | undefined {
  if (value === undefined || value === null) return undefined;
  const name = String(value).trim().toLowerCase();
  if (name === 'chat' || name === 'chat_completions' || name === 'chat-completions') return 'chat';
  if (name === 'responses') return 'responses';
  diagnostics.push({
    span: span ?? fallback,
    severity: 'warning',
    code: 'unknown-api',
    message: `Unknown api "${String(value)}". Use chat (Chat Completions) or responses (Responses API).`,
  });
  return undefined;
}

export function readNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function readRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Tools in OpenAI's `{type:'function', function:{…}}` form or the bare function form. */
export function readTools(value: unknown): FunctionDefinition[] {
  if (!Array.isArray(value)) return [];
  const tools: FunctionDefinition[] = [];
  for (const entry of value) {
    const record = readRecord(entry);
    const definition = readRecord(record.function ?? record);
    if (typeof definition.name === 'string') tools.push(definition as unknown as FunctionDefinition);
  }
  return tools;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
