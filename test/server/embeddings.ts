import { checkModel } from './chatRequest';
import { embedText } from './embeddingVector';
import { type ApiFailure, invalidParameter, missingParameter } from './errors';
import type { TestServerOptions } from './options';
import type { PromptTokenizer } from './tokenizer';

/** Longest single input the embedding models accept, tokens. */
const MAX_INPUT_TOKENS = 8192;
/** Most inputs in one request. */
const MAX_INPUTS = 2048;

/** A validated embeddings request. */
export interface EmbeddingsRequest {
  readonly model: string;
  readonly texts: readonly string[];
  /** Token count of every input (summed into usage and the TPM charge). */
  readonly promptTokens: number;
  readonly dimensions: number;
  readonly encodingFormat: 'float' | 'base64';
}

/** Validates an embeddings body: `input` string, string[], token array or token arrays; `dimensions`; format. */
export function parseEmbeddingsRequest(
  body: Record<string, unknown>,
  options: TestServerOptions,
  tokenizer: PromptTokenizer,
): EmbeddingsRequest | ApiFailure {
  if (typeof body['model'] !== 'string' || body['model'] === '') return missingParameter('model');
  if (body['input'] === undefined || body['input'] === null) return missingParameter('input');
  const inputs = normalizeInputs(body['input']);
  if (!inputs)
    return invalidParameter(
      'input',
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    );
  if (inputs.length > MAX_INPUTS) return invalidParameter('input', `'$.input' must have at most ${MAX_INPUTS} items.`);
  const modelFailure = checkModel(body['model'], options, 'embeddings');
  if (modelFailure) return modelFailure;
  const dimensions = body['dimensions'] ?? options.embeddingDimensions;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096) {
    return invalidParameter('dimensions', "Invalid 'dimensions': expected an integer from 1 to 4096.");
  }
  const format = body['encoding_format'] ?? 'float';
  if (format !== 'float' && format !== 'base64')
    return invalidParameter('encoding_format', "Invalid 'encoding_format': expected 'float' or 'base64'.");
  let promptTokens = 0;
  const texts: string[] = [];
  for (const input of inputs) {
    const tokens = typeof input === 'string' ? tokenizer.count(input) : input.length;
    if (tokens > MAX_INPUT_TOKENS) {
      return {
        status: 400,
        error: {
          message: `This model's maximum context length is ${MAX_INPUT_TOKENS} tokens, however you requested ${tokens} tokens in one input. Please reduce your prompt.`,
          type: 'invalid_request_error',
          param: 'input',
          code: 'context_length_exceeded',
        },
      };
    }
    promptTokens += tokens;
    texts.push(typeof input === 'string' ? input : safeDecode(tokenizer, input));
  }
  return { model: body['model'], texts, promptTokens, dimensions, encodingFormat: format };
}

/** The `list` of embeddings OpenAI returns. */
export function embeddingsBody(request: EmbeddingsRequest): Record<string, unknown> {
  return {
    object: 'list',
    data: request.texts.map((text, index) => {
      const vector = embedText(text, request.dimensions);
      const embedding =
        request.encodingFormat === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
      return { object: 'embedding', index, embedding };
    }),
    model: request.model,
    usage: { prompt_tokens: request.promptTokens, total_tokens: request.promptTokens },
  };
}

type Input = string | readonly number[];

function normalizeInputs(input: unknown): Input[] | undefined {
  if (typeof input === 'string') return input === '' ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  const items: Input[] = [];
  for (const item of input as unknown[]) {
    if (typeof item === 'string' && item !== '') items.push(item);
    else if (Array.isArray(item) && item.length > 0 && item.every((token) => Number.isInteger(token) && token >= 0))
      items.push(item as number[]);
    else return undefined;
  }
  return items;
}

function safeDecode(tokenizer: PromptTokenizer, tokens: readonly number[]): string {
  try {
    return tokenizer.decode(tokens);
  } catch {
    return tokens.join(' ');
  }
}
