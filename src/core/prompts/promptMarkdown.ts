import { readDeclaredParameters } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseFrontMatter, type FrontMatterCache } from './frontMatter';
import { LineIndex } from './lineIndex';
import {
  assemblePrompt,
  buildChatPrompt,
  readApi,
  readPositiveInteger,
  readRecord,
  readString,
  readTask,
  readTools,
} from './promptBuilder';
import { copilotModelId } from '../models/copilotModelNames';
import { isCopilotPromptFile } from './chatPromptFiles';
import type { ParsedPromptFile, PromptDefinition, PromptDiagnostic, PromptFormat, TextSpan } from './promptTypes';
import { splitRoleSections } from './roleSections';

/**
 * `*.prompt.md` (and plain `.md` in prompt folders): optional YAML front matter with `model`, `max_tokens`,
 * API parameters under their Chat Completions names (`temperature`, `response_format`, `seed`, …), `api`, `task`, `variables` (sample values), `data`; the body is the user message, or
 * `system:` / `user:` / `assistant:` sections.
 */
export function parsePromptMarkdown(
  file: string,
  text: string,
  format: PromptFormat = 'prompt-markdown',
  frontMatters?: FrontMatterCache,
): ParsedPromptFile {
  const lines = new LineIndex(text);
  const frontMatter = parseFrontMatter(text, lines, frontMatters);
  const diagnostics: PromptDiagnostic[] = [...frontMatter.diagnostics];
  const data = frontMatter.block?.data ?? {};
  const fallback = lines.lineSpan(0);
  const span = (key: string) => frontMatterValueSpan(frontMatter.document, frontMatter.block, [key], lines);
  const keySpan = (path: readonly string[]) => frontMatterKeySpan(frontMatter.document, frontMatter.block, path, lines);
  if (format === 'prompt-markdown' && isCopilotPromptFile(file, frontMatter.block?.data)) {
    return {
      file,
      format,
      prompts: [copilotPrompt(file, text, data, frontMatter.bodyStart, span('model'), lines)],
      diagnostics,
      frontMatter: frontMatter.block,
    };
  }
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

/**
 * A VS Code Copilot prompt file: its body is the context it adds to a chat, sent as written (`${input:x}` and
 * `{{…}}` in code samples are not Prompt Meter variables), on the model VS Code names, mapped to a catalog id.
 */
function copilotPrompt(
  file: string,
  text: string,
  data: Record<string, unknown>,
  bodyStart: number,
  modelSpan: TextSpan | undefined,
  lines: LineIndex,
): PromptDefinition {
  const body = text.slice(bodyStart);
  const content = body.trim();
  const start = bodyStart + body.length - body.trimStart().length;
  const written = readString(data.model);
  const model = written === undefined ? undefined : copilotModelId(written);
  const messages =
    content === ''
      ? []
      : [{ role: 'user' as const, content, span: lines.span(start, start + content.length), insertions: [] }];
  const prompt = assemblePrompt(
    file,
    'prompt-markdown',
    text,
    messages,
    [],
    { model, modelSpan: model ? modelSpan : undefined, choices: 1, parameters: [], samples: {}, tools: [] },
    lines,
  );
  return { ...prompt, copilot: true };
}
