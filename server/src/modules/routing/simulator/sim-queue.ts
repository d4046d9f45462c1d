import type { SimProfile } from "./simulation-profile";

/** Queueing primitives of the simulated days: agents working queues inside their shifts. */

export const DAY = 1440;
export const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
};
export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** The agents' working windows over the simulated days, for "the next minute this agent works". */
export function workingWindows(profile: SimProfile, days: number) {
  return profile.agents.map((a) =>
    a.shifts.flatMap((s) =>
      Array.from({ length: days + 1 }, (_, d) => {
        const start = (d - 1) * DAY + s.start;
        const end = s.end > s.start ? (d - 1) * DAY + s.end : d * DAY + s.end;
        return [start, end] as [number, number];
      }),
    ),
  );
}

/** A binary min-heap. */
export class MinHeap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  push(x: T) {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(a[p] as T, a[i] as T) <= 0) break;
      [a[p], a[i]] = [a[i] as T, a[p] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T, a[m] as T) < 0) m = l;
        if (r < a.length && this.less(a[r] as T, a[m] as T) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i] as T, a[m] as T];
        i = m;
      }
    }
    return top;
  }
}

/** One agent working a queue, first come first served, only inside their windows. */
export class Worker {
  free = 0;
  constructor(private readonly windows: [number, number][]) {
    this.windows.sort((a, b) => a[0] - b[0]);
  }
  /** When work handed over at `at` would start (the agent's queue and shifts). */
  startsAt(at: number) {
    const t = Math.max(at, this.free);
    for (const [s, e] of this.windows) if (e > t) return Math.max(s, t);
    return Number.POSITIVE_INFINITY;
  }
  /** Starts a piece of work no earlier than `at`; answers when it starts and ends. */
  work(at: number, minutes: number) {
    let t = Math.max(at, this.free);
    let left = minutes;
    let start = -1;
    for (const [s, e] of this.windows) {
      if (e <= t) continue;
      const from = Math.max(s, t);
      if (start < 0) start = from;
      if (from + left <= e) {
        t = from + left;
        left = 0;
        break;
      }
      left -= e - from;
      t = e;
    }
    this.free = t;
    return { start: start < 0 ? at : start, end: t };
  }
}
