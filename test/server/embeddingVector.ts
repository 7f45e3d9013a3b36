/** Function words that say little about meaning; they weigh less than content words. */
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'i',
  'my',
  'me',
  'you',
  'your',
  'we',
  'our',
  'it',
  'is',
  'are',
  'was',
  'be',
  'do',
  'does',
  'did',
  'can',
  'could',
  'how',
  'what',
  'why',
  'when',
  'where',
  'which',
  'who',
  'to',
  'of',
  'in',
  'on',
  'for',
  'and',
  'or',
  'with',
  'at',
  'by',
  'from',
  'this',
  'that',
  'please',
  'should',
  'would',
  'will',
]);

const CONTENT_WORD_WEIGHT = 1;
const STOP_WORD_WEIGHT = 0.3;
const BIGRAM_WEIGHT = 0.5;

/**
 * A deterministic unit vector for `text`: a signed hashed bag of lowercase words (function words down-weighted)
 * and word bigrams. Paraphrases that share most words land close (cosine > 0.8 for "How do I reset my password?"
 * vs "how can I reset my password"), unrelated texts near 0.
 */
export function embedText(text: string, dimensions: number): Float32Array {
  const vector = new Float64Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  words.forEach((word, index) => {
    addFeature(vector, `u:${word}`, STOP_WORDS.has(word) ? STOP_WORD_WEIGHT : CONTENT_WORD_WEIGHT);
    const next = words[index + 1];
    if (next !== undefined) addFeature(vector, `b:${word} ${next}`, BIGRAM_WEIGHT);
  });
  if (words.length === 0) addFeature(vector, 'empty', 1);
  const norm = Math.hypot(...vector) || 1;
  return Float32Array.from(vector, (value) => value / norm);
}

/** Cosine similarity of two vectors of equal length. */
export function cosineSimilarity(left: ArrayLike<number>, right: ArrayLike<number>): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const slot = fnv1a(feature, 0x811c9dc5) % vector.length;
  const sign = fnv1a(feature, 0x01000193) & 1 ? 1 : -1;
  vector[slot] = (vector[slot] ?? 0) + sign * weight;
}

function fnv1a(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
