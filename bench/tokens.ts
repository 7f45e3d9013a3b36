/**
 * bench/tokens — live token counting on a 100 KB prompt while typing.
 * Measures per keystroke edit (after initialisation): our chunked counter, the whole editor pipeline
 * (parse + estimate + hints), and the peer approach (re-encode the whole text every edit), in one run; then the
 * editor pipeline, rendering included, on a 100 KB Prompty with a loop and conditionals (nunjucks) and on a
 * Dotprompt with partials read from its folder (dotprompt's Handlebars), with the first render (engine loaded
 * lazily on first use) reported separately.
 * Every edit's chunked count is checked against the full encode (must be equal: exact, not approximate).
 * Prints one JSON object, then a one-line summary.  Run: node out/bench/tokens.js
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFileDocumentReader } from '../src/core/chunking/fileDocumentReader';
import type { PromptFormat } from '../src/core/prompts/promptTypes';
import { performance } from 'node:perf_hooks';
import { Tiktoken } from 'tiktoken/lite/init';
import { Estimator } from '../src/core/estimate/estimator';
import { Tokenizers } from '../src/core/tokens/tokenizers';

const EDITS = 600;
const TARGET_BYTES = 100 * 1024;
const assets = path.resolve(__dirname, '..', '..', 'dist', 'assets', 'tiktoken');

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ENGLISH = [
  'The quarterly review covers revenue, churn, and the support backlog across all regions.',
  'Customers on the Team plan asked for SSO, audit logs, and a clearer invoice breakdown.',
  'Summarize the incident timeline, the root cause, and the follow-up actions with owners.',
  'Latency p95 rose from 180 ms to 420 ms after the cache eviction policy changed on March 3rd.',
];
const KOREAN = [
  '이번 분기 매출은 전년 대비 12% 증가했으며, 신규 고객 유입이 크게 늘었습니다.',
  '고객 지원 대기열이 줄어들었고 평균 응답 시간은 4시간에서 90분으로 단축되었습니다.',
  '개인정보 처리방침 변경 사항을 고객에게 안내하고 동의 절차를 다시 진행해야 합니다.',
];
const CODE = [
  'export async function retry<T>(task: () => Promise<T>, attempts = 3): Promise<T> {',
  '  for (let attempt = 1; ; attempt++) {',
  '    try { return await task(); } catch (error) { if (attempt >= attempts) throw error; }',
  '  }',
  '}',
  'const totals = rows.reduce((sum, row) => sum + row.amount * (1 - row.discount), 0);',
];

function generateDocument(next: () => number): string {
  let text =
    '---\nmodel: gpt-4o-mini\nmax_tokens: 800\ntask: summarize\n---\nsystem:\nYou summarize long internal documents for executives.\n\nuser:\n';
  while (Buffer.byteLength(text) < TARGET_BYTES) {
    const kind = next();
    if (kind < 0.45)
      text += `${Array.from({ length: 4 }, () => ENGLISH[Math.floor(next() * ENGLISH.length)]).join(' ')}\n\n`;
    else if (kind < 0.75)
      text += `${Array.from({ length: 3 }, () => KOREAN[Math.floor(next() * KOREAN.length)]).join(' ')}\n\n`;
    else text += `\`\`\`ts\n${CODE.join('\n')}\n\`\`\`\n\n`;
  }
  return text;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

const summary = (values: number[]) => ({
  p50: round(percentile(values, 0.5)),
  p95: round(percentile(values, 0.95)),
  max: round(Math.max(...values)),
  mean: round(values.reduce((a, b) => a + b, 0) / values.length),
});
const round = (value: number) => Math.round(value * 1000) / 1000;

/** A ~100 KB Prompty: a sample list of 40 items looped over, conditions inside and around the loop, long static text. */
function generatePrompty(next: () => number): { text: string; editableFrom: number } {
  const items = Array.from(
    { length: 40 },
    (_, index) =>
      `    - title: Item ${index}\n      detail: ${ENGLISH[index % ENGLISH.length]}\n      urgent: ${index % 7 === 0}`,
  );
  let text = `---\nname: bench\nmodel:\n  id: gpt-4o-mini\n  options:\n    maxOutputTokens: 800\ninputs:\n  - name: audience\n    default: customers\n  - name: items\n    example:\n${items.join('\n')}\n---\n# system:\n{% if audience == "developers" %}Be technical.{% else %}Avoid jargon.{% endif %}\n\nuser:\n{% for item in items %}\n- {{ item.title }}{% if item.urgent %} (urgent){% endif %}: {{ item.detail }}\n{% endfor %}\n`;
  const editableFrom = text.length;
  while (Buffer.byteLength(text) < TARGET_BYTES)
    text += `${Array.from({ length: 4 }, () => ENGLISH[Math.floor(next() * ENGLISH.length)]).join(' ')}\n\n`;
  return { text, editableFrom };
}

/** A Dotprompt using two partials (one nested) beside it, a loop and ifEquals; ~20 KB of static text. */
function generateDotprompt(next: () => number, folder: string): { text: string; editableFrom: number } {
  writeFileSync(path.join(folder, '_voice.prompt'), 'Write in a {{voice}} voice. {{> rules}}\n');
  writeFileSync(path.join(folder, '_rules.prompt'), '{{#each rules}}- {{this}}\n{{/each}}');
  let text = `---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 300\ninput:\n  default:\n    voice: warm\n    rules: [${ENGLISH.map((line) => JSON.stringify(line)).join(', ')}]\n    orders:\n${Array.from({ length: 30 }, (_, index) => `      - {id: A-${index}, status: ${index % 3 === 0 ? 'delayed' : 'shipped'}}`).join('\n')}\n---\n{{role "system"}}\n{{> voice}}\n{{role "user"}}\n{{#each orders}}\n{{id}}: {{#ifEquals status "delayed"}}DELAYED{{else}}{{status}}{{/ifEquals}}\n{{/each}}\n`;
  const editableFrom = text.length;
  while (Buffer.byteLength(text) < 20 * 1024)
    text += `${Array.from({ length: 4 }, () => ENGLISH[Math.floor(next() * ENGLISH.length)]).join(' ')}\n\n`;
  return { text, editableFrom };
}

/** Per-edit editor pipeline (parse with rendering + estimate + hints), typing letters in the static text. */
function templatePipeline(
  estimator: Estimator,
  file: string,
  format: PromptFormat,
  document: { text: string; editableFrom: number },
  next: () => number,
) {
  let { text } = document;
  const firstStart = performance.now();
  const first = estimator.tryEstimate(estimator.parse(file, text, format), text);
  const firstMs = performance.now() - firstStart;
  if (!first || first.diagnostics.some((diagnostic) => diagnostic.severity === 'error'))
    throw new Error(`${file} does not render`);
  const samples: number[] = [];
  let typingAt = document.editableFrom + Math.floor((text.length - document.editableFrom) / 2);
  for (let edit = 0; edit < EDITS; edit++) {
    if (next() < 0.1) typingAt = document.editableFrom + Math.floor(next() * (text.length - document.editableFrom));
    text = text.slice(0, typingAt) + ' abcdefghij\n'.charAt(Math.floor(next() * 12)) + text.slice(typingAt);
    typingAt += 1;
    const started = performance.now();
    const estimate = estimator.tryEstimate(estimator.parse(file, text, format), text);
    samples.push(performance.now() - started);
    if (!estimate) throw new Error('tokenizer not ready');
  }
  return {
    documentBytes: Buffer.byteLength(text),
    messages: first.estimates[0]?.prompt.messages.length ?? 0,
    firstRenderMs: round(firstMs),
    perEditMs: summary(samples),
  };
}

async function main(): Promise<void> {
  const next = random(2026);
  let text = generateDocument(next);
  const tokenizers = new Tokenizers(assets);
  const initStart = performance.now();
  const counter = await tokenizers.load('o200k_base');
  const initMs = performance.now() - initStart;
  const ranks = JSON.parse(readFileSync(path.join(assets, 'o200k_base.json'), 'utf8'));
  const whole = new Tiktoken(ranks.bpe_ranks, ranks.special_tokens, ranks.pat_str);
  const estimator = new Estimator(tokenizers, {
    defaultModel: 'gpt-4o-mini',
    pricingOverrides: {},
    maxFileBytes: 2 * 1024 * 1024,
  });

  const firstCountStart = performance.now();
  const firstCount = counter.count(text);
  const firstCountMs = performance.now() - firstCountStart;

  const chunked: number[] = [];
  const pipeline: number[] = [];
  const fullEncode: number[] = [];
  let mismatches = 0;
  let typingAt = Math.floor(text.length * 0.6);
  for (let edit = 0; edit < EDITS; edit++) {
    // Mostly typing at one place, sometimes jumping elsewhere or deleting, like a person editing.
    if (next() < 0.1) typingAt = Math.floor(next() * text.length);
    if (next() < 0.2 && typingAt > 0) {
      text = text.slice(0, typingAt - 1) + text.slice(typingAt);
      typingAt -= 1;
    } else {
      const character = ' abcdefghijklmnopqrstuvwxyz가나다라\n{}();'.charAt(Math.floor(next() * 38));
      text = text.slice(0, typingAt) + character + text.slice(typingAt);
      typingAt += 1;
    }
    let started = performance.now();
    const count = counter.count(text);
    chunked.push(performance.now() - started);

    started = performance.now();
    const parsed = estimator.parse('bench.prompt.md', text, 'prompt-markdown');
    const estimate = estimator.tryEstimate(parsed, text);
    pipeline.push(performance.now() - started);
    if (!estimate) throw new Error('tokenizer not ready');

    started = performance.now();
    const expected = whole.encode(text, [], []).length;
    fullEncode.push(performance.now() - started);
    if (count !== expected) mismatches++;
  }
  whole.free();

  const folder = mkdtempSync(path.join(tmpdir(), 'pm-bench-'));
  const formatsEstimator = new Estimator(
    tokenizers,
    { defaultModel: 'gpt-4o-mini', pricingOverrides: {}, maxFileBytes: 2 * 1024 * 1024 },
    undefined,
    createFileDocumentReader(folder),
  );
  const prompty = templatePipeline(formatsEstimator, 'bench.prompty', 'prompty', generatePrompty(next), next);
  const dotprompt = templatePipeline(
    formatsEstimator,
    'bench.prompt',
    'dotprompt',
    generateDotprompt(next, folder),
    next,
  );
  tokenizers.dispose();

  const result = {
    benchmark: 'tokens',
    documentBytes: Buffer.byteLength(text),
    documentTokens: firstCount,
    edits: EDITS,
    initMs: round(initMs),
    firstFullCountMs: round(firstCountMs),
    perEditMs: {
      chunkedCount: summary(chunked),
      editorPipeline: summary(pipeline),
      fullReencodePeer: summary(fullEncode),
    },
    speedupP95: round(percentile(fullEncode, 0.95) / percentile(chunked, 0.95)),
    exactMismatches: mismatches,
    templates: { prompty, dotprompt },
    targetP95Ms: 5,
    meetsTarget:
      percentile(pipeline, 0.95) <= 5 && mismatches === 0 && prompty.perEditMs.p95 <= 5 && dotprompt.perEditMs.p95 <= 5,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `tokens: ${result.documentBytes} B / ${result.documentTokens} tokens; per edit p95 chunked ${result.perEditMs.chunkedCount.p95} ms, full editor pipeline ${result.perEditMs.editorPipeline.p95} ms, full re-encode ${result.perEditMs.fullReencodePeer.p95} ms (${result.speedupP95}× faster); init ${result.initMs} ms; ${mismatches} mismatches in ${EDITS} edits; rendered per edit p95: Prompty ${prompty.documentBytes} B ${prompty.perEditMs.p95} ms (p50 ${prompty.perEditMs.p50} ms, first render ${prompty.firstRenderMs} ms), Dotprompt with partials ${dotprompt.documentBytes} B ${dotprompt.perEditMs.p95} ms (p50 ${dotprompt.perEditMs.p50} ms, first ${dotprompt.firstRenderMs} ms); target p95 ≤ 5 ms ${result.meetsTarget ? 'met' : 'missed'}\n`,
  );
}

void main();
