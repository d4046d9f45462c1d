import { z } from "zod";

/** 智能分类's settings: on or off, the confidence from which a suggestion is applied, how often it relearns. */
export const classificationSettings = z.object({
  enabled: z.boolean(),
  threshold: z.number().min(0.3).max(1),
  retrainEveryDays: z.number().int().min(1).max(90),
});
export type ClassificationSettings = z.infer<typeof classificationSettings>;

/** A trained model: what it learned from and how it did on the held-out tickets. */
export const classifierModel = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  examples: z.number().int(),
  heldOut: z.number().int(),
  top1: z.number(),
  top3: z.number(),
  trainingMs: z.number().int(),
  categories: z.array(
    z.object({ categoryId: z.number().int(), examples: z.number().int(), heldOut: z.number().int(), correct: z.number().int() }),
  ),
});
export type ClassifierModel = z.infer<typeof classifierModel>;

export const classificationStatus = z.object({
  settings: classificationSettings,
  model: classifierModel.nullable(),
  /** Handled tickets (solved or closed, with a category) there are to learn from. */
  handledTickets: z.number().int(),
  minExamples: z.number().int(),
  /** Since the current model: new tickets it classified, how many it filed itself, and how many of those agents moved to another category. */
  usage: z.object({ suggested: z.number().int(), applied: z.number().int(), corrected: z.number().int() }),
});
export type ClassificationStatus = z.infer<typeof classificationStatus>;

/** What the classifier said about a ticket when it arrived. */
export const categorySuggestion = z.object({
  categoryId: z.number().int(),
  confidence: z.number(),
  applied: z.boolean(),
  createdAt: z.string(),
});
export type CategorySuggestion = z.infer<typeof categorySuggestion>;

/** A text the agent is still writing, for the category the classifier would choose (the staff's new-ticket form). */
export const categoryGuessBody = z.strictObject({
  subject: z.string().max(300).default(""),
  description: z.string().max(100_000).default(""),
});
/** The classifier's choice for a text: null when classification is off, has no model, or the text is empty. */
export const categoryGuess = z.object({
  suggestion: z.object({ categoryId: z.number().int(), confidence: z.number() }).nullable(),
});
export type CategoryGuess = z.infer<typeof categoryGuess>;
