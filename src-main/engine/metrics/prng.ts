// Seeded pseudo-random numbers for the bootstrap. Math.random cannot be seeded, and intervals
// must be reproducible: the same data and seed give the same report, in tests and in audits.

/** mulberry32: a tiny 32-bit generator, plenty for resampling indices; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed for one named stream, derived from a base seed and a key (FNV-1a over the key, mixed
 * with the seed). Each subgroup gets its own stream, so its interval does not change when other
 * attributes are added to the audit or listed in another order.
 */
export function deriveSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche so that similar keys give unrelated seeds.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}
