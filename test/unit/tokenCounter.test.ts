import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Tiktoken } from 'tiktoken/lite/init';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitAtSafeBoundaries } from '../../src/core/tokens/safeBoundaries';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import type { EncodingName } from '../../src/core/tokens/encodingForModel';
import { tokenizerAssets } from '../support/repository';

/** Deterministic PRNG so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FRAGMENTS = [
  'Hello world',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  '}',
  '{',
  '/',
  '//',
  '\n/',
  '}\n/',
  '123456',
  '3.14',
  "it's",
  "I'LL",
  '안녕하세요',
  ' 세계',
  '요약해 주세요.',
  'función',
  'naïve',
  '😀',
  '<|endoftext|>',
  '<|im_start|>',
  'const x = y.map((v) => v * 2);',
  '```ts',
  '```',
  '  - item',
  '# Title',
  'ABCdef',
  ' \u00a0',
  '\u3000',
  '\u0085',
  '...',
  '!!',
  ' /',
  '/\n',
  'a'.repeat(40),
  ' word',
  'x',
  '\n   ',
  '   \n',
  '\u2028',
];

function randomText(next: () => number, pieces: number): string {
  let text = '';
  for (let index = 0; index < pieces; index++) text += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return text;
}

describe('exact chunked counting', () => {
  const tokenizers = new Tokenizers(tokenizerAssets());
  const reference = new Map<EncodingName, Tiktoken>();

  before(async () => {
    for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
      await tokenizers.load(encoding);
      const ranks = JSON.parse(readFileSync(path.join(tokenizerAssets(), `${encoding}.json`), 'utf8'));
      reference.set(encoding, new Tiktoken(ranks.bpe_ranks, ranks.special_tokens, ranks.pat_str));
    }
  });
  after(() => {
    tokenizers.dispose();
    for (const encoder of reference.values()) encoder.free();
  });

  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    it(`${encoding}: chunked count equals whole-text encoding on random mixed text`, async () => {
      const counter = await tokenizers.load(encoding);
      const whole = reference.get(encoding)!;
      const next = random(encoding === 'o200k_base' ? 7 : 11);
      for (let trial = 0; trial < 300; trial++) {
        const text = randomText(next, 20 + Math.floor(next() * 400));
        assert.equal(
          counter.count(text),
          whole.encode(text, [], []).length,
          `trial ${trial}: ${JSON.stringify(text.slice(0, 200))}`,
        );
      }
    });

    it(`${encoding}: every safe piece boundary keeps the sum exact, also inside very long lines`, async () => {
      const whole = reference.get(encoding)!;
      const next = random(3);
      for (let trial = 0; trial < 60; trial++) {
        const line = randomText(next, 600).replace(/[\r\n\u2028\u0085]/g, ' ');
        const text = `${randomText(next, 50)}\n${line}\n${randomText(next, 50)}`;
        const pieces = splitAtSafeBoundaries(text, 200);
        assert.equal(pieces.join(''), text);
        assert.ok(pieces.length > 2, 'long line should be cut into several pieces');
        const sum = pieces.reduce((total, piece) => total + whole.encode(piece, [], []).length, 0);
        assert.equal(sum, whole.encode(text, [], []).length, `trial ${trial}`);
      }
    });
  }

  it('counts <|endoftext|> as ordinary text instead of throwing', async () => {
    const counter = await tokenizers.load('o200k_base');
    const count = counter.count('Remove <|endoftext|> from the output.');
    assert.ok(count > 7, `expected the special-token string to be split into ordinary tokens, got ${count}`);
  });

  it('stays exact across a sequence of single-character edits on a large document', async () => {
    const counter = await tokenizers.load('o200k_base');
    const whole = reference.get('o200k_base')!;
    const next = random(99);
    let text = randomText(next, 3000);
    for (let edit = 0; edit < 100; edit++) {
      const position = Math.floor(next() * text.length);
      text =
        next() < 0.5
          ? text.slice(0, position) + (FRAGMENTS[edit % FRAGMENTS.length] ?? 'x') + text.slice(position)
          : text.slice(0, position) + text.slice(position + 1);
      assert.equal(counter.count(text), whole.encode(text, [], []).length, `edit ${edit}`);
    }
  });
});
