import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { readDeclaredParameters, type DeclaredParameter } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseYaml } from './frontMatter';
import { LineIndex } from './lineIndex';
import { buildChatPrompt, readPositiveInteger, readRecord, readString, readTask } from './promptBuilder';
import type { MessageRole, ParsedPromptFile, PromptDiagnostic } from './promptTypes';
import type { RoleSection } from './roleSections';

/** One GitHub Models evaluator, kept as written for a later scoring feature (`string`, `uses`, `llm`, …). */
export interface PromptEvaluator {
  readonly name: string;
  /** The evaluator's kind: the key that defines it (`string`, `uses`, `llm`). */
  readonly kind: string;
  readonly definition: Readonly<Record<string, unknown>>;
}

const ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant']);
const MAX_TOKEN_KEYS = ['max_completion_tokens', 'max_tokens', 'maxTokens', 'maxCompletionTokens'] as const;

/**
 * GitHub Models prompt files (`*.prompt.yml` / `*.prompt.yaml`, docs.github.com "Storing prompts in GitHub
 * repositories"; github/gh-models `ModelParameters`): `model` (`openai/gpt-4o-mini`), `modelParameters`
 * (`maxTokens`, `temperature`, `topP`, …), `messages` with `{{variable}}` placeholders (filled as gh-models does,
 * by plain substitution), `responseFormat` + `jsonSchema`, `testData` rows (the dataset; its first row is the
 * sample for the estimate) and `evaluators` (kept). The whole file is the "front matter" block, so the same YAML
 * edits (model, max tokens, parameters) work on it.
 */
export function parseGitHubModelsPrompt(file: string, text: string): ParsedPromptFile {
  const lines = new LineIndex(text);
  const yaml = parseYaml(text, lines, 0, text.length, text.length);
  const diagnostics: PromptDiagnostic[] = [
    ...yaml.diagnostics.map((diagnostic) => ({
      ...diagnostic,
      message: diagnostic.message.replace('Front matter YAML', 'YAML'),
    })),
  ];
  const block = yaml.block ?? { contentStart: 0, contentEnd: text.length, bodyStart: text.length, data: {} };
  const data = block.data;
  const fallback = lines.lineSpan(0);
  const span = (path: readonly string[]) => frontMatterValueSpan(yaml.document, block, path, lines);
  const keySpan = (path: readonly string[]) => frontMatterKeySpan(yaml.document, block, path, lines);
  const modelParameters = readRecord(data.modelParameters);
  const maxTokensKey = MAX_TOKEN_KEYS.find((key) => modelParameters[key] !== undefined);
  const testData = Array.isArray(data.testData) ? data.testData.map((row) => readRecord(row)) : [];
  const sections = messageSections(yaml.document, data, text, lines, diagnostics);
  const templateDiagnostics: PromptDiagnostic[] = [];
  const prompt = buildChatPrompt(
    file,
    'github-models',
    text,
    sections,
    {
      model: readString(data.model),
      modelSpan: span(['model']),
      maxTokens: maxTokensKey
        ? readPositiveInteger(
            modelParameters[maxTokensKey],
            maxTokensKey,
            span(['modelParameters', maxTokensKey]),
            diagnostics,
            fallback,
          )
        : undefined,
      maxTokensPath: maxTokensKey ? ['modelParameters', maxTokensKey] : undefined,
      choices: readPositiveInteger(modelParameters.n, 'n', span(['modelParameters', 'n']), diagnostics, fallback) ?? 1,
      parameters: [
        ...readDeclaredParameters(modelParameters, ['modelParameters'], keySpan),
        ...responseFormat(data, keySpan, diagnostics, fallback),
      ],
      declaredTask: readTask(data.task, span(['task']), diagnostics, fallback),
      samples: testData[0] ?? {},
      tools: [],
      ...(testData.length > 0 ? { dataRows: testData } : {}),
    },
    lines,
    templateDiagnostics,
  );
  // No testData: a placeholder has nothing to fill it (gh-models leaves it as written), which the warning says.
  for (const diagnostic of templateDiagnostics) {
    // The section text is the YAML value (block scalars lose their indentation): find the placeholder as written.
    const placeholder = /^\{\{(.+?)\}\}/.exec(diagnostic.message)?.[1] ?? '';
    const at = text.search(new RegExp(`\\{\\{\\s*${placeholder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`));
    const located = at < 0 ? diagnostic : { ...diagnostic, span: lines.span(at, at + placeholder.length + 4) };
    diagnostics.push(
      testData.length > 0
        ? located
        : { ...located, message: `{{${placeholder}}} has no value: add testData rows with a "${placeholder}" key.` },
    );
  }
  return {
    file,
    format: 'github-models',
    prompts: [{ ...prompt, evaluators: readEvaluators(data.evaluators) }],
    diagnostics,
    frontMatter: block,
  };
}

/** `messages[]` as role sections at the file offsets of their `content` values. */
function messageSections(
  document: Document | undefined,
  data: Record<string, unknown>,
  text: string,
  lines: LineIndex,
  diagnostics: PromptDiagnostic[],
): RoleSection[] {
  const sections: RoleSection[] = [];
  const nodes = document?.get('messages', true);
  const messages = Array.isArray(data.messages) ? data.messages : [];
  messages.forEach((message, index) => {
    const record = readRecord(message);
    const node = isSeq(nodes) ? nodes.items[index] : undefined;
    const content = isMap(node) ? node.get('content', true) : undefined;
    const written =
      isScalar(content) && content.range ? content.range : isMap(node) && node.range ? node.range : undefined;
    const range: [number, number] = [written?.[0] ?? 0, written?.[1] ?? 0];
    const role = String(record.role ?? 'user').toLowerCase();
    if (!ROLES.has(role)) {
      diagnostics.push({
        span: lines.span(range[0], range[1]),
        severity: 'warning',
        code: 'unknown-role',
        message: `Unknown role "${String(record.role)}": use system, developer, user or assistant. The message is sent as user.`,
      });
    }
    const body = typeof record.content === 'string' ? record.content.trim() : '';
    sections.push({
      role: (ROLES.has(role) ? role : 'user') as MessageRole,
      text: body,
      start: range[0],
      end: Math.min(range[1], text.length),
    });
  });
  return sections;
}

/** `responseFormat: json_object | json_schema | text` with `jsonSchema` (a JSON string or a mapping) → `response_format`. */
function responseFormat(
  data: Record<string, unknown>,
  keySpan: (path: readonly string[]) => ReturnType<typeof frontMatterKeySpan>,
  diagnostics: PromptDiagnostic[],
  fallback: PromptDiagnostic['span'],
): DeclaredParameter[] {
  const format = readString(data.responseFormat);
  if (!format || format === 'text') return [];
  const span = keySpan(['responseFormat']);
  if (format === 'json_object')
    return [{ name: 'response_format', value: { type: 'json_object' }, path: ['responseFormat'], span }];
  if (format !== 'json_schema') {
    diagnostics.push({
      span: span ?? fallback,
      severity: 'warning',
      code: 'unknown-response-format',
      message: `Unknown responseFormat "${format}": use text, json_object or json_schema.`,
    });
    return [];
  }
  let schema: unknown = data.jsonSchema;
  if (typeof schema === 'string') {
    try {
      schema = JSON.parse(schema) as unknown;
    } catch (error) {
      diagnostics.push({
        span: keySpan(['jsonSchema']) ?? span ?? fallback,
        severity: 'error',
        code: 'json-schema-invalid',
        message: `jsonSchema is not valid JSON (${(error as Error).message}); response_format is not sent.`,
      });
      return [];
    }
  }
  const record = readRecord(schema);
  // gh-models writes {name, schema, strict?}; a bare JSON Schema is wrapped under a default name.
  const jsonSchema = record.schema !== undefined ? record : { name: 'response', schema: record };
  return [
    {
      name: 'response_format',
      value: { type: 'json_schema', json_schema: jsonSchema },
      path: ['responseFormat'],
      span,
    },
  ];
}

function readEvaluators(value: unknown): PromptEvaluator[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry, index) => {
    const record = readRecord(entry);
    const kind = Object.keys(record).find((key) => key !== 'name') ?? 'unknown';
    return { name: readString(record.name) ?? `evaluator ${index + 1}`, kind, definition: record };
  });
}
