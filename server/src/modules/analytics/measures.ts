/**
 * The additive measures of a rollup row. Counts and sums add; histograms and arrivals are arrays
 * that add elementwise. Averages, rates and percentiles are derived when a dashboard reads them.
 */
export const COUNT_MEASURES = [
  "created",
  "repeats",
  "complete",
  "completeness_known",
  "first_responses",
  "frt_sum",
  "frt_bus_sum",
  "resolved",
  "res_sum",
  "res_bus_sum",
  "fcr",
  "reopened",
  "transferred",
  "transfers",
  "new_s",
  "open_s",
  "pending_s",
  "on_hold_s",
  "csat_count",
  "csat_sum",
  "csat_positive",
  "csat_negative",
  "sla_fr_total",
  "sla_fr_breached",
  "sla_res_total",
  "sla_res_breached",
  "backlog_delta",
] as const;

export const ARRAY_MEASURES = ["arrivals", "frt_hist", "frt_bus_hist", "res_hist", "res_bus_hist"] as const;

export type CountMeasure = (typeof COUNT_MEASURES)[number];
export type ArrayMeasure = (typeof ARRAY_MEASURES)[number];

/** One ticket's addition to one rollup row: counts, and array measures as index → amount. */
export type Delta = Partial<Record<CountMeasure, number>> & Partial<Record<ArrayMeasure, Record<number, number>>>;

/**
 * Upper bounds (seconds) of the duration histogram buckets; the last bucket is open-ended.
 * Percentiles of large populations are read from these (interpolated inside a bucket).
 */
export const HISTOGRAM_BOUNDS = [
  60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400, 21600, 28800, 43200, 57600, 86400, 129600, 172800, 259200,
  345600, 432000, 604800, 864000, 1209600, 1814400, 2592000, 3888000, 5184000,
];

export function histogramBucket(seconds: number): number {
  const i = HISTOGRAM_BOUNDS.findIndex((b) => seconds < b);
  return i === -1 ? HISTOGRAM_BOUNDS.length : i;
}

/** The q-quantile (0..1) of a histogram, linear inside the bucket it falls in; null when empty. */
export function histogramQuantile(counts: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : (HISTOGRAM_BOUNDS[i - 1] as number);
      const upper = HISTOGRAM_BOUNDS[i] ?? lower * 2;
      return lower + ((rank - seen) / c) * (upper - lower);
    }
    seen += c;
  }
  return HISTOGRAM_BOUNDS[HISTOGRAM_BOUNDS.length - 1] as number;
}

/** Adds b into a (in place) and returns a; `sign` -1 takes b away. */
export function addDelta(a: Delta, b: Delta, sign = 1): Delta {
  for (const k of COUNT_MEASURES) {
    const v = b[k];
    if (v) a[k] = (a[k] ?? 0) + sign * v;
  }
  for (const k of ARRAY_MEASURES) {
    const v = b[k];
    if (!v) continue;
    const target = a[k] ?? {};
    for (const [i, n] of Object.entries(v)) target[Number(i)] = (target[Number(i)] ?? 0) + sign * n;
    a[k] = target;
  }
  return a;
}

export function isZeroDelta(d: Delta): boolean {
  return COUNT_MEASURES.every((k) => !d[k]) && ARRAY_MEASURES.every((k) => Object.values(d[k] ?? {}).every((n) => n === 0));
}

/** An array measure as a dense array (Postgres integer[]). */
export function denseArray(sparse: Record<number, number> | undefined): number[] {
  if (!sparse) return [];
  const keys = Object.keys(sparse).map(Number);
  if (keys.length === 0) return [];
  const out = new Array<number>(Math.max(...keys) + 1).fill(0);
  for (const k of keys) out[k] = sparse[k] as number;
  return out;
}
