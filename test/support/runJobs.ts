import type { RunJob } from '../../src/core/runs/runJob';

/** A chat job for tests; jobs with the same `question` and model share a dedupe key. */
export function chatJob(
  id: string,
  question: string,
  options: Partial<RunJob> & { costUsd?: number | null } = {},
): RunJob {
  const model = options.model ?? 'gpt-4o-mini';
  return {
    id,
    file: options.file ?? 'prompts/faq.prompt.md',
    endpoint: 'chat.completions',
    model,
    request: { model, messages: [{ role: 'user', content: question }], max_tokens: 64 },
    estimate: {
      inputTokens: 20,
      outputTokens: 64,
      costUsd: options.costUsd === undefined ? 0.0001 : options.costUsd,
      batchCostUsd: options.costUsd === null ? null : 0.00005,
    },
    dedupeKey: options.dedupeKey ?? `${model}:${question}`,
    question,
    ...(options.row === undefined ? {} : { row: options.row }),
  };
}
