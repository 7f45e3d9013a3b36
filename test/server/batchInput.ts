/** One request line of a batch input file. */
export interface BatchLine {
  readonly customId: string;
  readonly body: Record<string, unknown>;
}

/** An entry of a failed batch's `errors.data`. */
export interface BatchInputError {
  readonly code: string;
  readonly message: string;
  readonly param: string | null;
  readonly line: number | null;
}

/**
 * Validates a JSONL batch input file the way OpenAI's `validating` step does: every line parses, has a unique
 * `custom_id`, `method` "POST", the batch's `url` and an object `body`. Any error fails the whole batch.
 */
export function parseBatchInput(
  content: string,
  endpoint: string,
): { lines: BatchLine[] } | { errors: BatchInputError[] } {
  const errors: BatchInputError[] = [];
  const lines: BatchLine[] = [];
  const seen = new Set<string>();
  const rawLines = content.split(/\r?\n/);
  rawLines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const error = (code: string, message: string, param: string | null = null): void => {
      errors.push({ code, message, param, line: index + 1 });
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return error('invalid_json_line', 'This line is not parseable as valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return error('invalid_json_line', 'This line is not a JSON object.');
    const request = parsed as Record<string, unknown>;
    const customId = request['custom_id'];
    if (typeof customId !== 'string' || customId === '')
      return error('missing_required_parameter', "Missing required parameter: 'custom_id'.", 'custom_id');
    if (seen.has(customId)) {
      return error(
        'duplicate_custom_id',
        'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.',
        'custom_id',
      );
    }
    seen.add(customId);
    if (request['method'] !== 'POST')
      return error('invalid_method', "The method for this request must be 'POST'.", 'method');
    if (request['url'] !== endpoint)
      return error(
        'invalid_url',
        `The URL provided for this request does not match the batch endpoint (${endpoint}).`,
        'url',
      );
    const body = request['body'];
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return error('missing_required_parameter', "Missing required parameter: 'body'.", 'body');
    lines.push({ customId, body: body as Record<string, unknown> });
  });
  if (errors.length === 0 && lines.length === 0)
    errors.push({ code: 'empty_file', message: 'The batch input file is empty.', param: null, line: null });
  return errors.length > 0 ? { errors } : { lines };
}
