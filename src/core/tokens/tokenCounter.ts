import type { EncodingName } from './encodingForModel';
import { countPieces, recountEdited, type CountedPieces } from './editedPieces';

/** Counts tokens of plain text with one encoding. Special-token strings such as `<|endoftext|>` are ordinary text. */
export interface TokenCounter {
  readonly encoding: EncodingName;
  count(text: string): number;
}

/** Texts shorter than this are encoded directly: splitting and cache lookups would cost more than they save. */
const DIRECT_ENCODE_CHARACTERS = 512;
/** Texts at least this long are remembered with their pieces, so their next version is cut only around the edit. */
const EDITED_TEXT_CHARACTERS = 8192;
/** How many long texts are remembered (an estimate counts a few: each message, the static part, …). */
const REMEMBERED_TEXTS = 4;
/** How much of a text's beginning says it is an edited version of a remembered one (the first to try). */
const HEAD_CHARACTERS = 256;

/**
 * Exact token counts that stay fast while a large prompt is edited: the text is cut at boundaries the
 * tokenizer never crosses (see `splitAtSafeBoundaries`) and each piece's count is cached by its content,
 * so a keystroke re-encodes only the piece it touched. A long text is also compared with the last few long texts
 * counted: when it is an edited version of one, only the window around the edit is cut and looked up
 * (`recountEdited`), so a keystroke in a 100 KB prompt does not hash all of its pieces again.
 * Invariant: `count(text)` equals the length of encoding `text` whole.
 */
export class ChunkedTokenCounter implements TokenCounter {
  /**
   * Two generations of piece counts: lookups hit `recent`, then `older` (and promote). When `recent` holds
   * more than half the budget it becomes `older` and the previous `older` is dropped — an LRU approximation
   * whose lookups are plain Map gets (an exact LRU list costs more than the counting it saves here).
   */
  private recent = new Map<string, number>();
  private older = new Map<string, number>();
  private recentCharacters = 0;
  /** Most recently counted first. */
  private remembered: CountedPieces[] = [];

  constructor(
    readonly encoding: EncodingName,
    private readonly encodeCount: (text: string) => number,
    private readonly maxCachedCharacters = 8_000_000,
  ) {}

  count(text: string): number {
    if (text.length < DIRECT_ENCODE_CHARACTERS) return this.encodeCount(text);
    const countPiece = (piece: string) => this.pieceCount(piece);
    if (text.length < EDITED_TEXT_CHARACTERS) return countPieces(text, countPiece).total;
    // An edited version of the same text first (same beginning), then any: texts counted together (a message and
    // its static part) share long tails, and pairing one with the other would push its own earlier version out.
    const head = text.slice(0, HEAD_CHARACTERS);
    const order = [...this.remembered.keys()].sort(
      (left, right) =>
        Number(!this.remembered[left]?.text.startsWith(head)) - Number(!this.remembered[right]?.text.startsWith(head)),
    );
    for (const index of order) {
      const previous = this.remembered[index];
      const counted = previous && recountEdited(previous, text, countPiece);
      if (!counted) continue;
      this.remembered.splice(index, 1);
      this.remembered.unshift(counted);
      return counted.total;
    }
    const counted = countPieces(text, countPiece);
    this.remembered = [counted, ...this.remembered.slice(0, REMEMBERED_TEXTS - 1)];
    return counted.total;
  }

  private pieceCount(piece: string): number {
    const recent = this.recent.get(piece);
    if (recent !== undefined) return recent;
    const count = this.older.get(piece) ?? this.encodeCount(piece);
    this.recent.set(piece, count);
    this.recentCharacters += piece.length;
    if (this.recentCharacters > this.maxCachedCharacters / 2) {
      this.older = this.recent;
      this.recent = new Map();
      this.recentCharacters = 0;
    }
    return count;
  }
}
