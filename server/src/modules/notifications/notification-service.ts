import {
  type Notification,
  type NotificationPrefs,
  type NotificationType,
  defaultNotificationPrefs,
  notificationTypes,
} from "@loopdesk/contracts/notifications";
import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import { publishEphemeral } from "../../platform/realtime/realtime-hub";
import { staffContacts } from "../staff/staff-service";
import { ticketSummary } from "../tickets/ticket-lookup";
import { notificationMail } from "./notification-mail";

/** A person's choice per type, over the defaults. */
export function effectivePrefs(stored: Record<string, { inApp: boolean; email: boolean }> | null) {
  return Object.fromEntries(notificationTypes.map((t) => [t, stored?.[t] ?? defaultNotificationPrefs[t]])) as Record<
    NotificationType,
    { inApp: boolean; email: boolean }
  >;
}

/**
 * Notifies staff the ways each of them chose: in-app (stored, and the bell rings on every server
 * process on commit) and/or email (a durable mail job, when outgoing mail is configured).
 */
export async function notifyStaff(
  ctx: Pick<AppContext, "mailer" | "config">,
  db: Executor,
  staffIds: number[],
  n: { type: NotificationType; ticketId: number | null; data: Record<string, unknown> },
) {
  const ids = [...new Set(staffIds)];
  if (ids.length === 0) return;
  const [people, stored] = await Promise.all([
    staffContacts(db, ids),
    db.selectFrom("notification_preferences").select(["staff_id", "prefs"]).where("staff_id", "in", ids).execute(),
  ]);
  const prefsOf = (id: number) => effectivePrefs(stored.find((s) => s.staff_id === id)?.prefs ?? null)[n.type];
  const inApp = people.filter((p) => prefsOf(p.id).inApp).map((p) => p.id);
  const byEmail = ctx.mailer.enabled ? people.filter((p) => prefsOf(p.id).email) : [];
  if (inApp.length)
    await db
      .insertInto("notifications")
      .values(inApp.map((staff_id) => ({ staff_id, type: n.type, ticket_id: n.ticketId, data: JSON.stringify(n.data) })))
      .execute();
  for (const staffId of inApp)
    await publishEphemeral(db, { type: "notification.created", aggregateType: "notification", aggregateId: staffId, payload: { staffId } });
  if (byEmail.length) {
    const ticket = n.ticketId ? await ticketSummary(db, n.ticketId, ctx.config.publicUrl) : null;
    const data = { ...n.data, ticketNumber: ticket?.number, ticketSubject: ticket?.subject };
    const link = ticket?.url ?? null;
    for (const p of byEmail) await ctx.mailer.queue(db, notificationMail(p.email, p.locale, n.type, data, link));
  }
}

export async function getNotificationPrefs(db: Executor, staffId: number) {
  const row = await db.selectFrom("notification_preferences").select("prefs").where("staff_id", "=", staffId).executeTakeFirst();
  return effectivePrefs(row?.prefs ?? null);
}

export async function setNotificationPrefs(db: Executor, staffId: number, prefs: NotificationPrefs) {
  const merged = { ...(await getNotificationPrefs(db, staffId)), ...prefs };
  await db
    .insertInto("notification_preferences")
    .values({ staff_id: staffId, prefs: JSON.stringify(merged) })
    .onConflict((oc) => oc.column("staff_id").doUpdateSet({ prefs: JSON.stringify(merged), updated_at: new Date() }))
    .execute();
  return merged;
}

export async function listNotifications(
  db: Executor,
  staffId: number,
  limit = 50,
): Promise<{ items: Notification[]; unreadCount: number }> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom("notifications")
      .leftJoin("tickets", "tickets.id", "notifications.ticket_id")
      .select([
        "notifications.id",
        "notifications.type",
        "notifications.ticket_id",
        "notifications.data",
        "notifications.read_at",
        "notifications.created_at",
        "tickets.number",
        "tickets.subject",
      ])
      .where("notifications.staff_id", "=", staffId)
      .orderBy("notifications.id", "desc")
      .limit(limit)
      .execute(),
    db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("staff_id", "=", staffId)
      .where("read_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      type: r.type as Notification["type"],
      ticketId: r.ticket_id,
      ticketNumber: r.number === null ? null : Number(r.number),
      ticketSubject: r.subject,
      data: r.data ?? {},
      readAt: r.read_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
    unreadCount: Number(unread.n),
  };
}

export async function markNotificationsRead(db: Executor, staffId: number, which: { ids: number[] } | { all: true }) {
  let q = db.updateTable("notifications").set({ read_at: new Date() }).where("staff_id", "=", staffId).where("read_at", "is", null);
  if ("ids" in which) q = q.where("id", "in", which.ids);
  await q.execute();
}
