/**
 * `count` row indices spread evenly over `total` rows (one from each of `count` equal slices), at an offset inside
 * each slice drawn from `seed`: the same seed picks the same rows, and the sample covers the start, middle and end
 * of the dataset rather than its first rows. Fewer rows than asked: every row. Ascending.
 */
export function sampleRowIndices(total: number, count: number, seed = 1): number[] {
  if (count >= total) return Array.from({ length: total }, (_, index) => index);
  const random = mulberry32(seed);
  const indices: number[] = [];
  for (let slice = 0; slice < count; slice++) {
    const start = Math.floor((slice * total) / count);
    const end = Math.floor(((slice + 1) * total) / count);
    indices.push(start + Math.floor(random() * (end - start)));
  }
  return indices;
}

/** A small seeded PRNG (mulberry32): uniform [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
