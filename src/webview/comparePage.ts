import { editsText } from '../core/compare/changeText';
import type { ModelComparison, SavedComparison } from '../core/compare/compareTypes';
import { formatUsd } from '../core/estimate/formatting';
import type { ComparisonSnapshotMessage, ComparisonWebviewMessage } from '../shared/compareMessages';
import { button, element, fractionBar, section } from './dom';

/** The slice of VS Code's webview API the comparison page uses. */
export interface ComparisonHost {
  post(message: ComparisonWebviewMessage): void;
}

const money = (amount: number | null): string => (amount === null ? 'unknown' : formatUsd(amount));
const percent = (rate: number): string => `${Math.round(rate * 100)}%`;
const milliseconds = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} ms`);

/**
 * Renders one comparison (per model: pass rate with its interval, cost of the trial, cost per 1,000 rows at
 * standard and Batch prices, latency, reasoning, truncated answers, edits, projected monthly saving; answers side
 * by side where models disagree) with the DOM API only: answers are model output and must stay text.
 */
export class ComparisonPage {
  constructor(
    private readonly root: HTMLElement,
    private readonly host: ComparisonHost,
  ) {}

  show(message: ComparisonSnapshotMessage): void {
    const { comparison } = message;
    const reference =
      comparison.reference === 'evaluators'
        ? "pass rate by the prompt's evaluators"
        : `agreement with ${comparison.reference}`;
    const parts: Array<Node | null> = [
      element('h1', { text: `Compare Models — ${comparison.file}` }),
      element('p', {
        className: 'subtitle',
        text: `${comparison.rows} rows · scored by ${comparison.scoring} · recommended: the cheapest with ${reference} ≥ ${percent(comparison.threshold)} · ${comparison.time}`,
      }),
      message.notice
        ? element('p', { className: 'notice', attributes: { role: 'status' }, text: message.notice })
        : null,
      this.table(comparison, message.currentModel),
      element(
        'p',
        { className: 'recommendation' },
        comparison.recommended
          ? `Recommended: ${comparison.recommended}.`
          : `Recommended: none (no model reaches ${reference} ≥ ${percent(comparison.threshold)}).`,
        ` Judge and similarity calls: ${money(comparison.judgeCostUsd)}. Per 1,000 rows and monthly saving are projections from this trial's measured usage.`,
      ),
      element(
        'div',
        { className: 'actions' },
        button('Export JSON…', () => this.host.post({ type: 'export', format: 'json' })),
        button('Export CSV…', () => this.host.post({ type: 'export', format: 'csv' })),
        button('Open JSON', () => this.host.post({ type: 'openJson' })),
      ),
      this.disagreements(comparison),
    ];
    this.root.replaceChildren(...parts.filter((part): part is Node => part !== null));
  }

  private table(comparison: SavedComparison, currentModel: string | null): HTMLElement {
    const headers = [
      'Model',
      'Pass rate (95% interval)',
      'Passed',
      'Trial cost',
      'Per 1,000 rows: standard / Batch',
      'Latency p50 / p95',
      'Reasoning tokens',
      'Truncated',
      'Failed calls',
      'Edits needed',
      'Saving / month (projected)',
    ];
    const head = element(
      'thead',
      {},
      element('tr', {}, ...headers.map((header) => element('th', { text: header, attributes: { scope: 'col' } }))),
    );
    const body = element(
      'tbody',
      {},
      ...comparison.models.map((model, index) =>
        this.row(model, index === 0, model.model === comparison.recommended, currentModel),
      ),
    );
    return element('table', { className: 'comparison', attributes: { 'aria-label': 'Models compared' } }, head, body);
  }

  private row(
    model: ModelComparison,
    isReference: boolean,
    isRecommended: boolean,
    currentModel: string | null,
  ): HTMLElement {
    const badges = [
      isReference ? 'compared against' : null,
      model.model === currentModel ? 'current' : null,
      isRecommended ? 'recommended' : null,
    ].filter(Boolean);
    const isCurrent = model.model === currentModel;
    return element(
      'tr',
      { className: isRecommended ? 'recommended' : '', attributes: { 'data-model': model.model } },
      element(
        'th',
        { attributes: { scope: 'row' } },
        element('span', { className: 'model', text: model.model }),
        ...badges.map((badge) => element('span', { className: 'badge', text: badge! })),
        isCurrent
          ? null
          : element(
              'div',
              { className: 'switch' },
              button(`Switch to ${model.model}`, () => this.host.post({ type: 'switch', model: model.model }), {
                className: isRecommended ? 'pressed' : '',
              }),
            ),
      ),
      element(
        'td',
        { className: 'pass-rate' },
        element('span', {
          text: `${percent(model.passRate)} (${percent(model.interval[0])}–${percent(model.interval[1])})`,
        }),
        fractionBar(model.passRate, 'pass', `pass rate of ${model.model}`),
      ),
      element('td', { className: 'passed', text: `${model.passed}/${model.total}` }),
      element('td', { className: 'trial-cost', text: money(model.costUsd) }),
      element('td', {
        className: 'per-1k',
        text: `${money(model.costPer1kRows.standard)} / ${money(model.costPer1kRows.batch)}`,
      }),
      element('td', {
        text:
          model.latencyP50Ms === null
            ? (model.failed ?? 0) >= model.total
              ? 'no answers'
              : 'cached (no latency)'
            : `${milliseconds(model.latencyP50Ms)} / ${milliseconds(model.latencyP95Ms)}`,
      }),
      element('td', { text: String(model.reasoningTokens) }),
      element('td', { className: model.truncated > 0 ? 'warning' : '', text: String(model.truncated) }),
      element('td', {
        className: (model.failed ?? 0) > 0 ? 'warning failed' : 'failed',
        text: String(model.failed ?? 0),
      }),
      element('td', { className: 'edits', text: editsText(model.edits) || '—' }),
      element('td', {
        text: money(model.monthlySavingUsd),
        title:
          model.monthlySavingUsd === null
            ? 'unknown: no calls of this prompt in the ledger over the last 30 days, or a price is unknown'
            : "this trial's cost per row difference × the prompt's calls in the last 30 days",
      }),
    );
  }

  private disagreements(comparison: SavedComparison): HTMLElement {
    if (comparison.disagreements.length === 0)
      return section(
        'Where models disagree',
        'disagreements',
        element('p', { text: 'Every model passed or failed the same rows.' }),
      );
    const models = comparison.models.map((model) => model.model);
    const rows = comparison.disagreements.map((disagreement) =>
      element(
        'tr',
        { attributes: { 'data-row': String(disagreement.row) } },
        element('th', { text: `Row ${disagreement.row}`, attributes: { scope: 'row' } }),
        ...models.map((model) => {
          const answer = disagreement.answers[model];
          if (!answer) return element('td', { text: '—' });
          return element(
            'td',
            { className: answer.passed ? 'pass' : 'fail' },
            element('div', { className: 'verdict', text: answer.passed ? 'pass' : 'FAIL' }),
            element('pre', { text: answer.text }),
            answer.passed || answer.text.startsWith('(error)')
              ? null
              : element('div', { className: 'detail', text: answer.detail }),
          );
        }),
      ),
    );
    return section(
      `Where models disagree (${comparison.disagreements.length} rows)`,
      'disagreements',
      element(
        'table',
        { className: 'side-by-side' },
        element(
          'thead',
          {},
          element('tr', {}, element('th', { text: 'Row' }), ...models.map((model) => element('th', { text: model }))),
        ),
        element('tbody', {}, ...rows),
      ),
    );
  }
}
