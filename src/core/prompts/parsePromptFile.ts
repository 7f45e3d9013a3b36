import { parseBatchJsonl } from './batchJsonl';
import { parseDotprompt } from './dotprompt';
import { parseGitHubModelsPrompt } from './githubModelsPrompt';
import { LineIndex } from './lineIndex';
import type { PromptContext } from './promptContext';
import { parsePromptMarkdown } from './promptMarkdown';
import type { ParsedPromptFile, PromptDiagnostic, PromptFormat } from './promptTypes';
import { parsePrompty } from './prompty';

/** Files above this are not estimated (setting `promptmeter.maxFileSizeMB`); 10 MB prompts are almost always data. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Parses a prompt file of a known format into one model for all formats. Never throws: anything wrong
 * becomes a diagnostic at the right line. Oversized and binary files are refused with a message that says why.
 */
export function parsePromptFile(
  file: string,
  text: string,
  format: PromptFormat,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  context: PromptContext = {},
): ParsedPromptFile {
  const refusal = refuseContent(text, maxFileBytes);
  if (refusal) return { file, format, prompts: [], diagnostics: [refusal] };
  const parsed = parseKnownFormat(file, text, format, context);
  const invalid = invalidUtf8Diagnostic(text);
  return invalid ? { ...parsed, diagnostics: [invalid, ...parsed.diagnostics] } : parsed;
}

/**
 * Text read as UTF-8 has U+FFFD where the bytes were not UTF-8 (a Latin-1 or UTF-16 file): the tokens counted are
 * then not those of the file as written, which the user should know.
 */
function invalidUtf8Diagnostic(text: string): PromptDiagnostic | undefined {
  const at = text.indexOf('\uFFFD');
  if (at < 0) return undefined;
  const lines = new LineIndex(text);
  return {
    span: lines.span(at, at + 1),
    severity: 'warning',
    code: 'invalid-utf8',
    message:
      'This file is not valid UTF-8 here (shown as \uFFFD), so the tokens counted are not those of the text as written. Save the file as UTF-8.',
  };
}

function parseKnownFormat(file: string, text: string, format: PromptFormat, context: PromptContext): ParsedPromptFile {
  try {
    switch (format) {
      case 'prompt-markdown':
        return parsePromptMarkdown(file, text, 'prompt-markdown', context.frontMatters);
      case 'prompty':
        return parsePrompty(file, text, context);
      case 'dotprompt':
        return parseDotprompt(file, text, context);
      case 'github-models':
        return parseGitHubModelsPrompt(file, text);
      case 'batch-jsonl':
        return parseBatchJsonl(file, text);
      case 'plain-text':
        return file.toLowerCase().endsWith('.md')
          ? parsePromptMarkdown(file, text, 'plain-text', context.frontMatters)
          : parsePlainText(file, text);
    }
  } catch (error) {
    return {
      file,
      format,
      prompts: [],
      diagnostics: [
        {
          span: new LineIndex(text).lineSpan(0),
          severity: 'error',
          code: 'parse-failure',
          message: `Prompt Meter could not read this file (${(error as Error).message}). Please report it with the file attached.`,
        },
      ],
    };
  }
}

/** A `.txt` prompt: the whole file is one user message. */
function parsePlainText(file: string, text: string): ParsedPromptFile {
  const lines = new LineIndex(text);
  const content = text.trim();
  const start = text.indexOf(content);
  return {
    file,
    format: 'plain-text',
    diagnostics: [],
    prompts: [
      {
        id: file,
        file,
        format: 'plain-text',
        kind: 'chat',
        choices: 1,
        messages: [{ role: 'user', content, span: lines.span(start, start + content.length), insertions: [] }],
        embeddingInputs: [],
        embeddingTokenArrayLength: 0,
        tools: [],
        variables: [],
        parameters: [],
        span: lines.lineSpan(lines.position(Math.max(0, start)).line),
      },
    ],
  };
}

/** Codes of the refusals {@link refuseContent} gives: the file was not estimated at all. */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['file-too-large', 'binary-file']);

/** Size and binary checks done before parsing. */
export function refuseContent(text: string, maxFileBytes: number): PromptDiagnostic | undefined {
  if (text.length > maxFileBytes / 4) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxFileBytes) return tooLargeDiagnostic(bytes, maxFileBytes);
  }
  if (text.slice(0, 8192).includes('\u0000')) {
    return {
      span: FIRST_LINE,
      severity: 'information',
      code: 'binary-file',
      message: 'Not estimated: this file looks binary (it contains NUL bytes), so it is not a prompt.',
    };
  }
  return undefined;
}

/** The refusal for a file above the size limit (callers that know the size can skip reading it). */
export function tooLargeDiagnostic(bytes: number, maxFileBytes: number): PromptDiagnostic {
  return {
    span: FIRST_LINE,
    severity: 'information',
    code: 'file-too-large',
    message: `Not estimated: this file is ${formatMegabytes(bytes)}, above the ${formatMegabytes(maxFileBytes)} limit. Raise promptmeter.maxFileSizeMB to estimate it, or split it into smaller prompts.`,
  };
}

const FIRST_LINE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
