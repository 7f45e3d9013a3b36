import { readDeclaredParameters } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseFrontMatter } from './frontMatter';
import { LineIndex } from './lineIndex';
import { buildChatPrompt, readApi, readPositiveInteger, readRecord, readString, readTask } from './promptBuilder';
import type { ParsedPromptFile, PromptDiagnostic } from './promptTypes';
import { splitRoleSections } from './roleSections';

const MAX_TOKEN_KEYS = ['maxOutputTokens', 'max_tokens', 'maxTokens', 'max_completion_tokens'] as const;

/**
 * Google Dotprompt (`*.prompt`): front matter `model: openai/gpt-4o-mini`, `config.maxOutputTokens`,
 * `config.temperature` and the other API parameters (camelCase or snake_case), `input.default` (sample values); Handlebars body with `{{role "system"}}` markers.
 */
export function parseDotprompt(file: string, text: string): ParsedPromptFile {
  const lines = new LineIndex(text);
  const frontMatter = parseFrontMatter(text, lines);
  const diagnostics: PromptDiagnostic[] = [...frontMatter.diagnostics];
  const data = frontMatter.block?.data ?? {};
  const fallback = lines.lineSpan(0);
  const span = (path: readonly string[]) => frontMatterValueSpan(frontMatter.document, frontMatter.block, path, lines);
  const config = readRecord(data.config);
  const maxTokensKey = MAX_TOKEN_KEYS.find((key) => config[key] !== undefined) ?? 'maxOutputTokens';
  const prompt = buildChatPrompt(
    file,
    'dotprompt',
    text,
    splitRoleSections(text, frontMatter.bodyStart, 'handlebars', 'user'),
    {
      model: readString(data.model),
      modelSpan: span(['model']),
      maxTokens: readPositiveInteger(config[maxTokensKey], maxTokensKey, span(['config', maxTokensKey]), diagnostics, fallback),
      maxTokensPath: config[maxTokensKey] === undefined ? undefined : ['config', maxTokensKey],
      choices: readPositiveInteger(data.candidates ?? config.candidateCount, 'candidates', undefined, diagnostics, fallback) ?? 1,
      parameters: readDeclaredParameters(config, ['config'], (path) => frontMatterKeySpan(frontMatter.document, frontMatter.block, path, lines)),
      api: readApi(config.api ?? data.api, span(['config', 'api']) ?? span(['api']), diagnostics, fallback),
      declaredTask: readTask(data.task ?? readRecord(data.metadata).task, span(['task']), diagnostics, fallback),
      samples: readRecord(readRecord(data.input).default),
      tools: [],
      dataFile: readString(data.data),
      chunk: data.chunk,
    },
    lines,
    diagnostics,
  );
  return { file, format: 'dotprompt', prompts: [prompt], diagnostics, frontMatter: frontMatter.block };
}
