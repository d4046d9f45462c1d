/** Deterministic pseudo-random numbers (mulberry32), so every demo workspace looks the same. */
export function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const weighted = <T>(list: readonly T[], weight: (t: T) => number) => {
    const total = list.reduce((s, t) => s + weight(t), 0);
    let r = next() * total;
    for (const t of list) {
      r -= weight(t);
      if (r < 0) return t;
    }
    return list[list.length - 1] as T;
  };
  /** Log-normal around a median, for waiting times: most short, a long tail. */
  const around = (median: number, spread = 0.8) => {
    const u = Math.max(1e-9, next());
    const v = next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spread * normal);
  };
  return { next, pick, weighted, around, chance: (p: number) => next() < p, between: (lo: number, hi: number) => lo + next() * (hi - lo) };
}
export type Rng = ReturnType<typeof rng>;
