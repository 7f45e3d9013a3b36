/**
 * bench/tokens — live token counting on a 100 KB prompt while typing.
 * Measures per keystroke edit (after initialisation): our chunked counter, the whole editor pipeline
 * (parse + estimate + hints), and the peer approach (re-encode the whole text every edit), in one run.
 * Every edit's chunked count is checked against the full encode (must be equal: exact, not approximate).
 * Prints one JSON object, then a one-line summary.  Run: node out/bench/tokens.js
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Tiktoken } from 'tiktoken/lite/init';
import { PromptEstimator } from '../src/core/estimate/promptEstimator';
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
  let text = '---\nmodel: gpt-4o-mini\nmax_tokens: 800\ntask: summarize\n---\nsystem:\nYou summarize long internal documents for executives.\n\nuser:\n';
  while (Buffer.byteLength(text) < TARGET_BYTES) {
    const kind = next();
    if (kind < 0.45) text += `${Array.from({ length: 4 }, () => ENGLISH[Math.floor(next() * ENGLISH.length)]).join(' ')}\n\n`;
    else if (kind < 0.75) text += `${Array.from({ length: 3 }, () => KOREAN[Math.floor(next() * KOREAN.length)]).join(' ')}\n\n`;
    else text += `\`\`\`ts\n${CODE.join('\n')}\n\`\`\`\n\n`;
  }
  return text;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

const summary = (values: number[]) => ({ p50: round(percentile(values, 0.5)), p95: round(percentile(values, 0.95)), max: round(Math.max(...values)), mean: round(values.reduce((a, b) => a + b, 0) / values.length) });
const round = (value: number) => Math.round(value * 1000) / 1000;

async function main(): Promise<void> {
  const next = random(2026);
  let text = generateDocument(next);
  const tokenizers = new Tokenizers(assets);
  const initStart = performance.now();
  const counter = await tokenizers.load('o200k_base');
  const initMs = performance.now() - initStart;
  const ranks = JSON.parse(readFileSync(path.join(assets, 'o200k_base.json'), 'utf8'));
  const whole = new Tiktoken(ranks.bpe_ranks, ranks.special_tokens, ranks.pat_str);
  const estimator = new PromptEstimator(tokenizers, { defaultModel: 'gpt-4o-mini', pricingOverrides: {}, maxFileBytes: 2 * 1024 * 1024 });

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
  tokenizers.dispose();

  const result = {
    benchmark: 'tokens',
    documentBytes: Buffer.byteLength(text),
    documentTokens: firstCount,
    edits: EDITS,
    initMs: round(initMs),
    firstFullCountMs: round(firstCountMs),
    perEditMs: { chunkedCount: summary(chunked), editorPipeline: summary(pipeline), fullReencodePeer: summary(fullEncode) },
    speedupP95: round(percentile(fullEncode, 0.95) / percentile(chunked, 0.95)),
    exactMismatches: mismatches,
    targetP95Ms: 5,
    meetsTarget: percentile(pipeline, 0.95) <= 5 && mismatches === 0,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `tokens: ${result.documentBytes} B / ${result.documentTokens} tokens; per edit p95 chunked ${result.perEditMs.chunkedCount.p95} ms, full editor pipeline ${result.perEditMs.editorPipeline.p95} ms, full re-encode ${result.perEditMs.fullReencodePeer.p95} ms (${result.speedupP95}× faster); init ${result.initMs} ms; ${mismatches} mismatches in ${EDITS} edits\n`,
  );
}

void main();
