import { readDeclaredParameters } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseFrontMatter } from './frontMatter';
import { LineIndex } from './lineIndex';
import { buildChatPrompt, readApi, readPositiveInteger, readRecord, readString, readTask, readTools } from './promptBuilder';
import type { ParsedPromptFile, PromptDiagnostic, PromptFormat } from './promptTypes';
import { splitRoleSections } from './roleSections';

/**
 * `*.prompt.md` (and plain `.md` in prompt folders): optional YAML front matter with `model`, `max_tokens`,
 * API parameters under their Chat Completions names (`temperature`, `response_format`, `seed`, …), `api`, `task`, `variables` (sample values), `data`; the body is the user message, or
 * `system:` / `user:` / `assistant:` sections.
 */
export function parsePromptMarkdown(file: string, text: string, format: PromptFormat = 'prompt-markdown'): ParsedPromptFile {
  const lines = new LineIndex(text);
  const frontMatter = parseFrontMatter(text, lines);
  const diagnostics: PromptDiagnostic[] = [...frontMatter.diagnostics];
  const data = frontMatter.block?.data ?? {};
  const fallback = lines.lineSpan(0);
  const span = (key: string) => frontMatterValueSpan(frontMatter.document, frontMatter.block, [key], lines);
  const keySpan = (path: readonly string[]) => frontMatterKeySpan(frontMatter.document, frontMatter.block, path, lines);
  const maxTokensKey = data.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const sections = splitRoleSections(text, frontMatter.bodyStart, 'lines', 'user');
  const prompt = buildChatPrompt(
    file,
    format,
    text,
    sections,
    {
      model: readString(data.model),
      modelSpan: span('model'),
      maxTokens: readPositiveInteger(data[maxTokensKey], maxTokensKey, span(maxTokensKey), diagnostics, fallback),
      maxTokensPath: data[maxTokensKey] === undefined ? undefined : [maxTokensKey],
      choices: readPositiveInteger(data.n, 'n', span('n'), diagnostics, fallback) ?? 1,
      parameters: readDeclaredParameters(data, [], keySpan),
      api: readApi(data.api, span('api'), diagnostics, fallback),
      declaredTask: readTask(data.task, span('task'), diagnostics, fallback),
      samples: readRecord(data.variables),
      tools: readTools(data.tools),
      dataFile: readString(data.data),
      chunk: data.chunk,
    },
    lines,
    diagnostics,
  );
  return { file, format, prompts: [prompt], diagnostics, frontMatter: frontMatter.block };
}
