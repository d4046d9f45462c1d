/** A step as the demo's replay ran it: all in a moment, in the order the demo finished them. */
export type ReplayedStep = { id: number; startedAt: Date; completedAt: Date | null };

/**
 * When each step of a replayed demo process ran, each taking its length: a step starts when the
 * step before it in the replay finished, so steps started together (parallel branches) start
 * together and the step after a join starts when its last branch is done; steps that ended together
 * in the replay (a cancellation) end together. Nothing starts before `from` or ends after `until`.
 */
export function scheduleSteps(steps: ReplayedStep[], lengths: Map<number, number>, from: number, until: number) {
  const moments = steps.flatMap((s) => [
    { real: s.startedAt.getTime(), end: false, id: s.id },
    ...(s.completedAt ? [{ real: s.completedAt.getTime(), end: true, id: s.id }] : []),
  ]);
  // In the replay's order. Moments in the same millisecond go by step (a step's successors were
  // created after it, so a finish comes before the starts it caused), a step's start before its end.
  moments.sort((a, b) => a.real - b.real || a.id - b.id || Number(a.end) - Number(b.end));
  const times = new Map<number, { start: number; end: number | null }>();
  let clock = from;
  let ended = null as { real: number; at: number } | null;
  // Steps started since the last finish: one of them ending at that finish's moment ran its own course.
  const startedSince = new Set<number>();
  for (const m of moments) {
    const step = times.get(m.id) ?? { start: from, end: null };
    times.set(m.id, step);
    if (!m.end) {
      step.start = Math.max(from, Math.min(clock, until - 10 * 60_000));
      startedSince.add(m.id);
      continue;
    }
    const together = ended?.real === m.real && !startedSince.has(m.id);
    step.end = together && ended ? ended.at : Math.min(Math.max(clock, step.start + (lengths.get(m.id) ?? 0)), until);
    clock = step.end;
    if (!together) startedSince.clear();
    ended = { real: m.real, at: step.end };
  }
  return times;
}
