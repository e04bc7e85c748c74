/** mulberry32: a small, fast, seeded PRNG so every scenario is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A lowercase hex id like Kubernetes' pod-template-hash. */
export function hexId(random: () => number, length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) {
    id += Math.floor(random() * 16).toString(16);
  }
  return id;
}
