import type { FileEstimate } from './estimateFile';
import { formatEstimate, formatTokens, formatUsd } from './formatting';
import type { PromptEstimate } from './promptEstimate';

/** Escapes text for a Markdown table cell or line (file contents must never become markup). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** The per-message and per-variable breakdown of one prompt, with the price's source and date. */
export function promptBreakdownMarkdown(estimate: PromptEstimate): string {
  const lines: string[] = [];
  const approximate = estimate.approximate ? ' (approximate: unknown model, counted with o200k_base)' : '';
  lines.push(
    `**${escapeMarkdown(estimate.model)}** · ${formatTokens(estimate.inputTokens)} input tokens${approximate} · task: ${estimate.task} (${estimate.taskSource})`,
    '',
  );
  if (estimate.breakdown.messages.length > 0) {
    lines.push('| Part | Tokens |', '|---|---:|');
    estimate.breakdown.messages.forEach((message, index) =>
      lines.push(`| ${index + 1}. ${message.role} | ${formatTokens(message.tokens)} |`),
    );
    lines.push(
      `| message framing (3 per message + role, 3 reply priming) | ${formatTokens(estimate.breakdown.framing)} |`,
    );
    if (estimate.breakdown.tools > 0) lines.push(`| tool definitions | ${formatTokens(estimate.breakdown.tools)} |`);
    for (const image of estimate.breakdown.images ?? []) {
      const assumed =
        image.assumptions.length > 0
          ? ` (estimate; assumed: ${escapeMarkdown(image.assumptions.join('; '))})`
          : ' (estimate)';
      lines.push(
        `| image tokens: ${escapeMarkdown(truncate(image.source, 50))}${assumed} | ${formatTokens(image.tokens)} |`,
      );
    }
    lines.push(`| **input total** | **${formatTokens(estimate.inputTokens)}** |`, '');
  }
  if (estimate.breakdown.variables.length > 0) {
    lines.push('| Variable | Tokens each | Uses | Sample value |', '|---|---:|---:|---|');
    for (const variable of estimate.breakdown.variables) {
      const sample =
        variable.value === undefined ? '*(no sample: counted as empty)*' : escapeMarkdown(truncate(variable.value, 60));
      lines.push(
        `| \`{{${escapeMarkdown(variable.name)}}}\` | ~${formatTokens(variable.tokensEach)} | ${variable.occurrences} | ${sample} |`,
      );
    }
    lines.push('');
  }
  lines.push(...costLines(estimate));
  return lines.join('\n');
}

function costLines(estimate: PromptEstimate): string[] {
  const { cost, price } = estimate;
  if (!cost || !price)
    return ['**Price unknown** — add an override in `promptmeter.pricing.overrides` (never shown as $0).'];
  const output =
    estimate.outputBound === 'max_tokens'
      ? `output ≤ ${formatTokens(estimate.outputTokens)} tokens (max_tokens)`
      : estimate.outputBound === 'model-maximum'
        ? `output ≤ ${formatTokens(estimate.outputTokens)} tokens (**no max_tokens**: the model's maximum)`
        : 'no output tokens';
  const lines = [
    `Estimated cost per call (USD): input ${formatUsd(cost.input)} (if cached: ${formatUsd(cost.cachedInput)}) · ${output} ${formatUsd(cost.outputMax)} · **total ≤ ${formatUsd(cost.total)}** · Batch API ${formatUsd(cost.batchTotal)}`,
    '',
    `Prices: ${escapeMarkdown(price.source.label)} — $${price.rates.input} input / ${price.rates.cachedInput === undefined ? 'no cached rate' : `$${price.rates.cachedInput} cached`} / ${price.rates.output === undefined ? 'no output' : `$${price.rates.output} output`} per 1M tokens.`,
  ];
  const reasoning = estimate.reasoning;
  if (reasoning) {
    const source =
      reasoning.source === 'ledger'
        ? `median of this prompt's last ${reasoning.calls} calls`
        : 'assumed per effort until this prompt has calls in the ledger';
    const money = estimate.reasoningCost === undefined ? '' : ` (${formatUsd(estimate.reasoningCost)})`;
    lines.push(
      '',
      `Reasoning: ~${formatTokens(reasoning.expectedTokens)} hidden reasoning tokens expected per call${money} at reasoning_effort ${reasoning.effort}${reasoning.effortSource === 'default' ? " (the model's default)" : ''} — ${source}; billed as output and taken from the cap above.`,
    );
  }
  if (estimate.recommendation) {
    const recommendation = estimate.recommendation;
    const edits =
      recommendation.changes.length > 1 ? ` Applying it writes: ${escapeMarkdown(recommendation.summary)}.` : '';
    lines.push(
      '',
      `Cheaper fit: **${escapeMarkdown(recommendation.model)}** ${formatEstimate(recommendation.cost.total)} (saves ${formatUsd(recommendation.saving)}, ${Math.round(recommendation.savingFraction * 100)}%) — ${recommendation.reason}.${edits}`,
    );
  }
  return lines;
}

/** A whole file: totals first, then each prompt (batch files list their first requests). */
export function fileBreakdownMarkdown(file: FileEstimate, title: string, maximumPrompts = 20): string {
  const { totals } = file;
  const lines = [`# Cost breakdown: ${escapeMarkdown(title)}`, ''];
  if (file.estimates.length !== 1) {
    lines.push(
      `${totals.prompts} requests · ${formatTokens(totals.inputTokens)} input tokens · ${formatEstimate(totals.total)} (Batch API ${formatEstimate(totals.batchTotal)})${totals.unpricedPrompts > 0 ? ` · ${totals.unpricedPrompts} with price unknown` : ''}`,
      '',
    );
  }
  file.estimates.slice(0, maximumPrompts).forEach((estimate) => {
    if (file.estimates.length !== 1) lines.push(`## ${escapeMarkdown(estimate.prompt.id)}`, '');
    lines.push(promptBreakdownMarkdown(estimate), '');
  });
  if (file.estimates.length > maximumPrompts)
    lines.push(`…and ${file.estimates.length - maximumPrompts} more requests.`);
  if (file.diagnostics.length > 0) {
    lines.push('## Hints and problems', '');
    for (const diagnostic of file.diagnostics)
      lines.push(
        `- line ${diagnostic.span.start.line + 1} (${diagnostic.severity}): ${escapeMarkdown(diagnostic.message)}`,
      );
  }
  lines.push('', '*All figures are estimates computed locally; actual cost depends on the answer length.*');
  return lines.join('\n');
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
