import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countPieces, recountEdited } from '../../src/core/tokens/editedPieces';
import { splitAtSafeBoundaries } from '../../src/core/tokens/safeBoundaries';
import { ChunkedTokenCounter } from '../../src/core/tokens/tokenCounter';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FRAGMENTS = [
  'word ',
  'Zeile ',
  ' ',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  '/',
  '\n/',
  '}\n/',
  '요약 ',
  '😀',
  'x',
  '  - item',
  '\n   ',
  'a'.repeat(70),
  ' long',
];

function randomText(next: () => number, fragments: number, longLines: boolean): string {
  let text = '';
  for (let index = 0; index < fragments; index++) {
    const fragment = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? '';
    text += longLines && fragment.includes('\n') && next() < 0.995 ? ' ' : fragment;
  }
  return text;
}

/** A stand-in for a tokenizer that tells pieces apart: a piece's count is its content's hash. */
function pieceHash(piece: string): number {
  let hash = 7;
  for (let index = 0; index < piece.length; index++) hash = (Math.imul(hash, 31) + piece.charCodeAt(index)) >>> 0;
  return hash % 1000;
}

function starts(text: string): number[] {
  const result: number[] = [];
  let offset = 0;
  for (const piece of splitAtSafeBoundaries(text)) {
    result.push(offset);
    offset += piece.length;
  }
  return result;
}

describe('recounting an edited text', () => {
  for (const longLines of [false, true]) {
    it(`cuts exactly the pieces a fresh cut gives, edit after edit${longLines ? ' (long lines)' : ''}`, () => {
      const next = random(longLines ? 5 : 3);
      let text = randomText(next, 4000, longLines);
      if (longLines)
        assert.ok(
          text.split('\n').some((line) => line.length > 1024),
          'lines long enough to be cut inside',
        );
      let counted = countPieces(text, pieceHash);
      let recounted = 0;
      for (let edit = 0; edit < 300; edit++) {
        const at = Math.floor(next() * text.length);
        const removed = next() < 0.3 ? Math.floor(next() * 40) : 0;
        const inserted = next() < 0.8 ? randomText(next, 1 + Math.floor(next() * 4), longLines) : '';
        text = text.slice(0, at) + inserted + text.slice(at + removed);
        const edited = recountEdited(counted, text, pieceHash);
        if (edited) recounted++;
        counted = edited ?? countPieces(text, pieceHash);
        assert.deepEqual(counted.starts, starts(text), `edit ${edit}`);
        assert.deepEqual(counted.counts, splitAtSafeBoundaries(text).map(pieceHash), `edit ${edit}`);
        assert.equal(
          counted.total,
          counted.counts.reduce((sum, count) => sum + count, 0),
        );
      }
      assert.ok(recounted > 290, `small edits are recounted, not cut afresh (${recounted} of 300)`);
    });
  }

  it('an unrelated text is not taken for an edit', () => {
    const next = random(9);
    const counted = countPieces(randomText(next, 3000, false), pieceHash);
    assert.equal(recountEdited(counted, randomText(next, 3000, false), pieceHash), undefined);
  });

  it('the counter re-encodes only pieces around the edit, and keeps two texts counted together apart', () => {
    const next = random(11);
    const encoded: string[] = [];
    const counter = new ChunkedTokenCounter('o200k_base', (piece) => {
      encoded.push(piece);
      return pieceHash(piece);
    });
    let message = randomText(next, 5000, false);
    let tail = message.slice(2000);
    counter.count(message);
    counter.count(tail);
    for (let edit = 0; edit < 20; edit++) {
      const at = 3000 + edit * 7;
      message = `${message.slice(0, at)}q${message.slice(at)}`;
      tail = message.slice(2000);
      encoded.length = 0;
      assert.equal(
        counter.count(message),
        splitAtSafeBoundaries(message)
          .map(pieceHash)
          .reduce((sum, count) => sum + count, 0),
      );
      assert.equal(
        counter.count(tail),
        splitAtSafeBoundaries(tail)
          .map(pieceHash)
          .reduce((sum, count) => sum + count, 0),
      );
      assert.ok(
        encoded.join('').length < 2000,
        `only the edited window is encoded (${encoded.join('').length} characters)`,
      );
    }
  });
});
