import { z } from "zod";
import { isoDate } from "./common";

export const notificationTypes = ["urged", "sla_warning", "sla_breached"] as const;
export const notification = z.object({
  id: z.number(),
  type: z.enum(notificationTypes),
  ticketId: z.number().nullable(),
  ticketNumber: z.number().nullable(),
  ticketSubject: z.string().nullable(),
  /** e.g. who urged (`byName`) or which SLA target was missed (`target`). */
  data: z.record(z.string(), z.unknown()),
  readAt: isoDate.nullable(),
  createdAt: isoDate,
});
export type Notification = z.infer<typeof notification>;
export const notificationList = z.object({ items: z.array(notification), unreadCount: z.number() });
export const markReadBody = z.union([
  z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
  z.strictObject({ all: z.literal(true) }),
]);
