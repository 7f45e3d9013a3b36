import type { TextPosition, TextSpan } from './promptTypes';

/** Converts UTF-16 offsets to zero-based line/character positions in one text. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1))
      this.lineStarts.push(index + 1);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): TextPosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - (this.lineStarts[low] ?? 0) };
  }

  span(startOffset: number, endOffset: number): TextSpan {
    return { start: this.position(startOffset), end: this.position(endOffset) };
  }

  offsetOfLine(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }

  /** The span of a whole line without its line break. */
  lineSpan(line: number): TextSpan {
    const start = this.offsetOfLine(line);
    let end =
      line + 1 < this.lineStarts.length ? (this.lineStarts[line + 1] ?? this.text.length) - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end -= 1;
    return this.span(start, Math.max(start, end));
  }
}
