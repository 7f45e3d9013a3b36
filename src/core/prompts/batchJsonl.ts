import { readDeclaredParameters } from './declaredParameters';
import { normalizeModelName } from '../tokens/encodingForModel';
import { LineIndex } from './lineIndex';
import { readPositiveInteger, readRecord, readTools } from './promptBuilder';
import type {
  MessageRole,
  ParsedPromptFile,
  PromptDefinition,
  PromptDiagnostic,
  PromptMessage,
  TextSpan,
} from './promptTypes';

const CHAT_URL = '/v1/chat/completions';
const EMBEDDINGS_URL = '/v1/embeddings';
const MODEL_VALUE = /"model"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/**
 * OpenAI Batch API input (`*.jsonl`): one `{custom_id, method, url, body}` request per line, for chat
 * completions or embeddings. Each valid line becomes one prompt; each broken line one diagnostic at that line.
 */
export function parseBatchJsonl(file: string, text: string): ParsedPromptFile {
  const lines = new LineIndex(text);
  const prompts: PromptDefinition[] = [];
  const diagnostics: PromptDiagnostic[] = [];
  const seen = new Map<string, number>();
  for (let line = 0; line < lines.lineCount; line++) {
    const span = lines.lineSpan(line);
    const start = lines.offsetOfLine(line);
    const lineText = text.slice(start, start + span.end.character);
    if (lineText.trim() === '') continue;
    const report = (message: string, severity: PromptDiagnostic['severity'] = 'error', code = 'batch-line') =>
      diagnostics.push({ span, severity, code, message: `Line ${line + 1}: ${message}` });
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      report(
        `not valid JSON (${(error as Error).message}). Each line must be one JSON request object.`,
        'error',
        'batch-json',
      );
      continue;
    }
    const request = readRecord(value);
    const customId = typeof request.custom_id === 'string' ? request.custom_id : undefined;
    if (!customId) {
      report('missing "custom_id" (a unique string the Batch API uses to match answers to requests).');
      continue;
    }
    const firstLine = seen.get(customId);
    if (firstLine !== undefined) {
      report(`custom_id "${customId}" is already used on line ${firstLine + 1}; the Batch API rejects duplicate ids.`);
      continue;
    }
    seen.set(customId, line);
    if (request.method !== undefined && request.method !== 'POST') report('"method" must be "POST".', 'warning');
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      report('missing "body" (the request sent to the endpoint named in "url").');
      continue;
    }
    const url = typeof request.url === 'string' ? request.url : '';
    if (url !== CHAT_URL && url !== EMBEDDINGS_URL) {
      report(
        `"url" ${JSON.stringify(request.url)} is not estimated: Prompt Meter estimates ${CHAT_URL} and ${EMBEDDINGS_URL}.`,
        'warning',
      );
      continue;
    }
    const prompt = promptFromBody(file, customId, url, readRecord(body), span, lineText, start, lines, report);
    if (prompt) prompts.push(prompt);
  }
  return { file, format: 'batch-jsonl', prompts, diagnostics };
}

function promptFromBody(
  file: string,
  id: string,
  url: string,
  body: Record<string, unknown>,
  span: TextSpan,
  lineText: string,
  lineStart: number,
  lines: LineIndex,
  report: (message: string, severity?: PromptDiagnostic['severity']) => void,
): PromptDefinition | undefined {
  const model = typeof body.model === 'string' ? body.model : undefined;
  if (!model) report('"body.model" is missing.', 'warning');
  const modelMatch = MODEL_VALUE.exec(lineText);
  const modelSpan =
    modelMatch && modelMatch.index !== undefined
      ? lines.span(
          lineStart + modelMatch.index + modelMatch[0].length - (modelMatch[1]?.length ?? 0) - 1,
          lineStart + modelMatch.index + modelMatch[0].length - 1,
        )
      : undefined;
  const common = {
    id,
    file,
    format: 'batch-jsonl' as const,
    rawBody: body,
    model: model ? normalizeModelName(model) : undefined,
    modelSpan,
    span,
    variables: [],
    choices: 1,
    tools: [] as PromptDefinition['tools'],
    parameters: [],
  };
  if (url === EMBEDDINGS_URL) {
    const { texts, tokenArrayLength } = embeddingInputs(body.input);
    if (texts.length === 0 && tokenArrayLength === 0) report('"body.input" is missing or empty.');
    return {
      ...common,
      kind: 'embedding',
      messages: [],
      embeddingInputs: texts,
      embeddingTokenArrayLength: tokenArrayLength,
    };
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    report('"body.messages" must be a non-empty array.');
    return undefined;
  }
  const maxTokensKey = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  return {
    ...common,
    kind: 'chat',
    maxTokens: readPositiveInteger(body[maxTokensKey], maxTokensKey, span, [], span),
    maxTokensPath: body[maxTokensKey] === undefined ? undefined : [maxTokensKey],
    choices: readPositiveInteger(body.n, 'n', span, [], span) ?? 1,
    parameters: readDeclaredParameters(body, [], () => span),
    messages: body.messages.map(toMessage),
    embeddingInputs: [],
    embeddingTokenArrayLength: 0,
    tools: readTools(body.tools),
  };
}

function toMessage(value: unknown): PromptMessage {
  const record = readRecord(value);
  const role = (typeof record.role === 'string' ? record.role : 'user') as MessageRole;
  return {
    role,
    content: contentText(record.content),
    name: typeof record.name === 'string' ? record.name : undefined,
    insertions: [],
  };
}

/** String content, or the text parts of multi-part content (images are not text tokens). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => readRecord(part))
    .filter((part) => typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

function embeddingInputs(input: unknown): { texts: string[]; tokenArrayLength: number } {
  if (typeof input === 'string') return { texts: [input], tokenArrayLength: 0 };
  if (!Array.isArray(input)) return { texts: [], tokenArrayLength: 0 };
  if (input.every((item) => typeof item === 'number')) return { texts: [], tokenArrayLength: input.length };
  const texts: string[] = [];
  let tokenArrayLength = 0;
  for (const item of input) {
    if (typeof item === 'string') texts.push(item);
    else if (Array.isArray(item)) tokenArrayLength += item.length;
  }
  return { texts, tokenArrayLength };
}
