import { z } from "zod";
import { isoDate } from "./common";

/** The customer's rating after solving (满意度): 1–5 stars; 满意/一般/不满意 are 5/3/1. */
export const csatAnswer = z.object({
  rating: z.number(),
  comment: z.string().nullable(),
  answeredAt: isoDate,
  answeredVia: z.enum(["link", "portal", "widget"]),
});
export type CsatAnswer = z.infer<typeof csatAnswer>;
export const ticketCsat = z.object({ surveyed: z.boolean(), answer: csatAnswer.nullable() });
export type TicketCsat = z.infer<typeof ticketCsat>;
export const rateBody = z.strictObject({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).optional() });

/** What the emailed link shows: which ticket, the resolution, and the answer if given. */
export const feedbackPage = z.object({
  ticketNumber: z.number(),
  subject: z.string(),
  status: z.string(),
  resolution: z.string().nullable(),
  answer: csatAnswer.nullable(),
});
export type FeedbackPage = z.infer<typeof feedbackPage>;
export const reopenBody = z.strictObject({ comment: z.string().trim().min(1).max(10_000) });
