import { z } from "zod";
import { isoDate } from "./common";

export const notificationTypes = [
  "assigned",
  "customer_replied",
  "urged",
  "sla_warning",
  "sla_breached",
  "escalated",
  "rule",
  "transferred",
  "sla_digest",
  "calendar_outdated",
  "task_assigned",
  "task_warning",
  "task_escalated",
] as const;
export type NotificationType = (typeof notificationTypes)[number];
export const notificationChannels = ["inApp", "email"] as const;
/** Per type, which channels a staff member wants; missing entries take the defaults. */
export const notificationPrefs = z.partialRecord(z.enum(notificationTypes), z.strictObject({ inApp: z.boolean(), email: z.boolean() }));
export type NotificationPrefs = z.infer<typeof notificationPrefs>;
export const defaultNotificationPrefs: Record<NotificationType, { inApp: boolean; email: boolean }> = {
  assigned: { inApp: true, email: false },
  customer_replied: { inApp: true, email: false },
  urged: { inApp: true, email: true },
  sla_warning: { inApp: true, email: false },
  sla_breached: { inApp: true, email: true },
  escalated: { inApp: true, email: true },
  rule: { inApp: true, email: false },
  transferred: { inApp: true, email: false },
  sla_digest: { inApp: true, email: false },
  task_assigned: { inApp: true, email: false },
  task_warning: { inApp: true, email: false },
  task_escalated: { inApp: true, email: true },
  calendar_outdated: { inApp: true, email: true },
};
export const updateNotificationPrefsBody = z.strictObject({ prefs: notificationPrefs });
export const notificationPrefsResult = z.object({ prefs: z.record(z.string(), z.object({ inApp: z.boolean(), email: z.boolean() })) });
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
