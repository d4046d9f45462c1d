import type { PriorityConfig, ScoreParts } from "@loopdesk/contracts/routing";

export const DEFAULT_PRIORITY_CONFIG: PriorityConfig = {
  tiers: { normal: 0, silver: 10, gold: 20, vip: 40 },
  priorities: { low: 0, normal: 10, high: 25, urgent: 40 },
  categories: {},
  urgencyWords: [
    { word: "紧急", points: 20 },
    { word: "加急", points: 15 },
    { word: "投诉", points: 20 },
    { word: "12315", points: 30 },
    { word: "曝光", points: 25 },
    { word: "尽快", points: 10 },
    { word: "urgent", points: 20 },
    { word: "asap", points: 10 },
  ],
  slaBands: [
    { minutesLeft: 0, points: 60 },
    { minutesLeft: 30, points: 40 },
    { minutesLeft: 120, points: 25 },
    { minutesLeft: 480, points: 10 },
  ],
};

export type ScoreInput = {
  tier: string | null;
  priority: string;
  categoryId: number | null;
  /** The ticket's text; omitted: keep `urgency` as already scored (the text did not change). */
  text?: string;
  urgency?: number;
  slaNextDueAt: Date | null;
};

/** Points for urgency words found in the text (each word counts once, case-insensitive). */
export function urgencyPoints(config: PriorityConfig, text: string) {
  const lower = text.toLowerCase();
  return config.urgencyWords.reduce((sum, w) => sum + (lower.includes(w.word.toLowerCase()) ? w.points : 0), 0);
}

/** Points for the time left on the next SLA deadline: the highest band it has reached. */
export function slaPoints(config: PriorityConfig, dueAt: Date | null, now: Date) {
  if (!dueAt) return 0;
  const minutesLeft = (dueAt.getTime() - now.getTime()) / 60_000;
  return config.slaBands.reduce((best, b) => (minutesLeft <= b.minutesLeft ? Math.max(best, b.points) : best), 0);
}

/** The priority score's parts; the score is their sum. It rises as the SLA deadline comes closer. */
export function scoreParts(config: PriorityConfig, input: ScoreInput, now: Date): ScoreParts {
  return {
    tier: config.tiers[(input.tier ?? "normal") as keyof PriorityConfig["tiers"]] ?? 0,
    priority: config.priorities[input.priority as keyof PriorityConfig["priorities"]] ?? 0,
    category: input.categoryId === null ? 0 : (config.categories[String(input.categoryId)] ?? 0),
    urgency: input.text !== undefined ? urgencyPoints(config, input.text) : (input.urgency ?? 0),
    sla: slaPoints(config, input.slaNextDueAt, now),
  };
}

export const scoreOf = (p: ScoreParts) => p.tier + p.priority + p.category + p.urgency + p.sla;

/** How far ahead of a deadline the score can still change: tickets due within this are rescored by the sweep. */
export const slaHorizonMinutes = (config: PriorityConfig) => Math.max(0, ...config.slaBands.map((b) => b.minutesLeft));
