import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { splitDocument, type DocumentChunk } from '../../src/core/chunking/documentChunker';
import { sentenceRanges } from '../../src/core/chunking/textSegments';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';
import { testTokenizers } from '../support/estimator';

const tokenizers = testTokenizers();
let counter: TokenCounter;
before(async () => {
  counter = await tokenizers.load('o200k_base');
});
after(() => tokenizers.dispose());

/** Every chunk: text is the slice it claims, the count is exact and within the limits. */
function assertWellFormed(
  text: string,
  chunks: readonly DocumentChunk[],
  maxTokens: number,
  maxWords = Infinity,
): void {
  chunks.forEach((chunk, index) => {
    assert.equal(chunk.index, index);
    assert.equal(chunk.text, text.slice(chunk.start, chunk.end));
    assert.equal(chunk.tokens, counter.count(chunk.text), `chunk ${index} count`);
    assert.ok(chunk.tokens <= maxTokens, `chunk ${index} has ${chunk.tokens} > ${maxTokens} tokens`);
    assert.equal(chunk.words, chunk.text.split(/\s+/).filter(Boolean).length);
    assert.ok(chunk.words <= maxWords, `chunk ${index} has ${chunk.words} > ${maxWords} words`);
    assert.ok(chunk.start <= chunk.ownStart && chunk.ownStart < chunk.end);
  });
}

/** Joining the chunks' own text loses only the white space between chunks (and around the document). */
function assertReproduces(text: string, chunks: readonly DocumentChunk[]): void {
  let previousEnd = 0;
  for (const chunk of chunks) {
    assert.match(
      text.slice(previousEnd, chunk.ownStart),
      /^\s*$/,
      `only white space is dropped before chunk ${chunk.index}`,
    );
    previousEnd = chunk.end;
  }
  assert.match(text.slice(previousEnd), /^\s*$/);
}

const words = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => ['alpha', 'beta', 'gamma', 'delta', 'epsilon'][(index + from) % 5]).join(
    ' ',
  );

describe('splitDocument', () => {
  it('keeps paragraphs whole and packs as many as fit, cutting on blank lines', () => {
    const paragraphs = Array.from(
      { length: 9 },
      (_, index) => `Section ${index + 10} opens here. ${words(20, index)}. It closes with a short remark.`,
    );
    const text = paragraphs.join('\n\n');
    const maxTokens = counter.count(paragraphs.slice(0, 3).join('\n\n'));
    const chunks = splitDocument(text, counter, { maxTokens });
    assertWellFormed(text, chunks, maxTokens);
    assertReproduces(text, chunks);
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      [0, 3, 6].map((first) => paragraphs.slice(first, first + 3).join('\n\n')),
    );
    assert.equal(chunks[0]!.tokens, maxTokens, 'the first chunk is exactly at the bound');
  });

  it('never adds a paragraph that would not fit, even with room left for part of it', () => {
    const paragraphs = [
      'Short one.',
      `${words(60)}.`,
      'Another short paragraph, with a few more words in it.',
      `${words(60, 2)}.`,
      'Tail.',
    ];
    const text = paragraphs.join('\n\n');
    const maxTokens = counter.count(paragraphs[1]!) + 12;
    const chunks = splitDocument(text, counter, { maxTokens });
    assertWellFormed(text, chunks, maxTokens);
    assertReproduces(text, chunks);
    let roomLeftOver = false;
    for (let index = 0; index < chunks.length; index++) {
      const chunk = chunks[index]!;
      const first = paragraphs.findIndex((paragraph) => chunk.text.startsWith(paragraph));
      const last = paragraphs.findIndex((paragraph) => chunk.text.endsWith(paragraph));
      assert.equal(chunk.text, paragraphs.slice(first, last + 1).join('\n\n'), `chunk ${index} is whole paragraphs`);
      const next = paragraphs[last + 1];
      if (next === undefined) continue;
      assert.ok(
        counter.count(`${chunk.text}\n\n${next}`) > maxTokens,
        `chunk ${index} could not take the next paragraph`,
      );
      if (maxTokens - chunk.tokens >= 5) roomLeftOver = true;
    }
    assert.ok(roomLeftOver, 'some chunk had room for part of the next paragraph but did not split it');
  });

  it('cuts a paragraph that is too long at sentence ends, as full as the bound allows', () => {
    const sentences = Array.from(
      { length: 30 },
      (_, index) => `Finding ${index} shows that ${words(6 + (index % 5), index)} matters.`,
    );
    const text = `# Report\n\n${sentences.join(' ')}\n`;
    const maxTokens = 60;
    const chunks = splitDocument(text, counter, { maxTokens });
    assertWellFormed(text, chunks, maxTokens);
    assertReproduces(text, chunks);
    assert.equal(chunks[0]!.text.startsWith('# Report'), true);
    for (const chunk of chunks.slice(1)) {
      assert.match(chunk.text, /^Finding \d+ /, 'starts at a sentence');
      assert.match(chunk.text, /matters\.$/, 'ends at a sentence');
    }
    for (let index = 0; index + 1 < chunks.length; index++) {
      const nextSentenceEnd = text.indexOf('matters.', chunks[index + 1]!.start) + 'matters.'.length;
      assert.ok(
        counter.count(text.slice(chunks[index]!.start, nextSentenceEnd)) > maxTokens,
        `chunk ${index} could have taken one more sentence`,
      );
    }
  });

  it('cuts Korean text after 다. / 요. and CJK text after 。！？', () => {
    const korean = Array.from({ length: 24 }, (_, index) =>
      index % 2 === 0
        ? `오늘 ${index}번째 회의에서 예산 문제를 자세히 논의했다.`
        : `다음 주에는 결과를 다시 보고할 예정이에요.`,
    ).join(' ');
    const chunks = splitDocument(korean, counter, { maxTokens: 50 });
    assert.ok(chunks.length > 3);
    assertWellFormed(korean, chunks, 50);
    assertReproduces(korean, chunks);
    for (const chunk of chunks)
      assert.match(chunk.text, /(다|요)\.$/, `ends a Korean sentence: …${chunk.text.slice(-10)}`);

    const chinese = Array.from(
      { length: 30 },
      (_, index) => `第${index}章讨论了市场的变化和未来的风险${index % 3 === 0 ? '！' : '。'}`,
    ).join('');
    const chineseChunks = splitDocument(chinese, counter, { maxTokens: 40 });
    assertWellFormed(chinese, chineseChunks, 40);
    assert.equal(
      chineseChunks.map((chunk) => chunk.text).join(''),
      chinese,
      'no white space to drop: the chunks join back exactly',
    );
    for (const chunk of chineseChunks) assert.match(chunk.text, /[。！]$/);
  });

  it('recognises sentence ends but not abbreviations or initials', () => {
    const text = 'Dr. Smith met J. Doe, e.g. at noon. Then they left! Did they? 결과가 좋았다. 今天很好。明天';
    assert.deepEqual(
      sentenceRanges(text, { start: 0, end: text.length }).map((range) => text.slice(range.start, range.end)),
      ['Dr. Smith met J. Doe, e.g. at noon.', 'Then they left!', 'Did they?', '결과가 좋았다.', '今天很好。', '明天'],
    );
  });

  it('repeats whole trailing sentences of the previous chunk as overlap, within overlapTokens', () => {
    const sentences = Array.from(
      { length: 40 },
      (_, index) => `Point ${index} is that ${words(4 + (index % 7), index)} holds.`,
    );
    const text = sentences.join(' ');
    const maxTokens = 120;
    const overlapTokens = 30;
    const chunks = splitDocument(text, counter, { maxTokens, overlapTokens });
    assertWellFormed(text, chunks, maxTokens);
    assertReproduces(text, chunks);
    assert.equal(chunks[0]!.start, chunks[0]!.ownStart);
    for (let index = 1; index < chunks.length; index++) {
      const previous = chunks[index - 1]!;
      const chunk = chunks[index]!;
      assert.ok(chunk.start < chunk.ownStart, `chunk ${index} has overlap`);
      const overlap = text.slice(chunk.start, previous.end);
      assert.ok(previous.text.endsWith(overlap), 'the overlap is the end of the previous chunk');
      assert.match(overlap, /^Point \d+ .*holds\.$/, 'whole sentences');
      assert.ok(counter.count(overlap) <= overlapTokens);
      const earlierStart = text.lastIndexOf('Point ', chunk.start - 1);
      if (earlierStart >= previous.ownStart)
        assert.ok(
          counter.count(text.slice(earlierStart, previous.end)) > overlapTokens,
          'the longest overlap that fits',
        );
    }
  });

  it('hard-splits a single 3 000-token sentence between words, each chunk as full as the bound allows', () => {
    const sentence = `${words(3000)}.`;
    assert.ok(counter.count(sentence) >= 3000);
    const chunks = splitDocument(sentence, counter, { maxTokens: 1000 });
    assert.equal(chunks.length, 4);
    assertWellFormed(sentence, chunks, 1000);
    assert.equal(chunks.map((chunk) => chunk.text).join(' '), sentence, 'cuts fall on single spaces between words');
    for (let index = 0; index + 1 < chunks.length; index++) {
      const nextSpace = sentence.indexOf(' ', chunks[index]!.end + 1);
      const nextWordEnd = nextSpace < 0 ? sentence.length : nextSpace;
      assert.ok(counter.count(sentence.slice(chunks[index]!.start, nextWordEnd)) > 1000, `chunk ${index} is full`);
    }
  });

  it('splits inside a word only as a last resort, between code points', () => {
    let state = 7;
    const hex = Array.from({ length: 4000 }, () =>
      ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 28).toString(16),
    ).join('');
    const chunks = splitDocument(`Blob: ${hex}`, counter, { maxTokens: 100 });
    assertWellFormed(`Blob: ${hex}`, chunks, 100);
    assert.equal(chunks[0]!.text, 'Blob:', 'the short word stays whole');
    assert.equal(
      chunks
        .slice(1)
        .map((chunk) => chunk.text)
        .join(''),
      hex,
      'pieces of the long word join without a gap',
    );
    for (const chunk of chunks.slice(1, -1)) {
      assert.ok(
        counter.count(`Blob: ${hex}`.slice(chunk.start, chunk.end + 1)) > 100,
        'each piece is the longest prefix that fits',
      );
    }
    const emoji = '😀🎉👍'.repeat(200);
    const emojiChunks = splitDocument(emoji, counter, { maxTokens: 10 });
    assertWellFormed(emoji, emojiChunks, 10);
    assert.equal(emojiChunks.map((chunk) => chunk.text).join(''), emoji);
    for (const chunk of emojiChunks)
      assert.doesNotMatch(chunk.text, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/, 'no surrogate pair is broken');
  });

  it("honours maxWords (the field guide's ≤ 500 words) as well as maxTokens", () => {
    const text = Array.from({ length: 12 }, (_, index) => `${words(110, index)}.`).join('\n\n');
    const chunks = splitDocument(text, counter, { maxTokens: 2000, maxWords: 500 });
    assertWellFormed(text, chunks, 2000, 500);
    assert.deepEqual(
      chunks.map((chunk) => chunk.words),
      [440, 440, 440],
      'four paragraphs of 110 words fit in 500 words, five would not',
    );
  });

  it('returns one chunk for a short document and none for white space; rejects impossible limits', () => {
    assert.deepEqual(
      splitDocument('  \n\n Hello world. \n', counter, { maxTokens: 100 }).map((chunk) => [
        chunk.text,
        chunk.start,
        chunk.end,
      ]),
      [['Hello world.', 5, 17]],
    );
    assert.deepEqual(splitDocument(' \n\t\n ', counter, { maxTokens: 100 }), []);
    assert.throws(() => splitDocument('x', counter, { maxTokens: 3 }), RangeError);
    assert.throws(() => splitDocument('x', counter, { maxTokens: 100, overlapTokens: 100 }), RangeError);
    assert.throws(() => splitDocument('x', counter, { maxTokens: 100, maxWords: 0 }), RangeError);
  });

  it('treats \\r\\n blank lines as paragraph breaks and is deterministic', () => {
    const text = Array.from(
      { length: 6 },
      (_, index) => `Line ${index} of the note.\r\nMore of paragraph ${index}.`,
    ).join('\r\n\r\n');
    const maxTokens = counter.count(
      `Line 0 of the note.\r\nMore of paragraph 0.\r\n\r\nLine 1 of the note.\r\nMore of paragraph 1.`,
    );
    const first = splitDocument(text, counter, { maxTokens });
    assert.deepEqual(splitDocument(text, counter, { maxTokens }), first);
    assert.equal(first.length, 3);
    for (const chunk of first)
      assert.match(
        chunk.text,
        /^Line \d of the note\.\r\nMore of paragraph \d\.\r\n\r\nLine \d of the note\.\r\nMore of paragraph \d\.$/,
      );
  });
});
