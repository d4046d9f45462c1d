import {
  type Notification,
  type NotificationPrefs,
  type NotificationType,
  defaultNotificationPrefs,
  notificationTypes,
} from "@loopdesk/contracts/notifications";
import { sql } from "kysely";
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
  // A burst of SLA news (a sweep after downtime, an import) reaches each person as one digest, not one bell per ticket.
  const flooded = SLA_KINDS.has(n.type) ? await floodedBySla(db, ids) : new Set<number>();
  const inApp = people.filter((p) => prefsOf(p.id).inApp).map((p) => p.id);
  const byEmail = ctx.mailer.enabled ? people.filter((p) => prefsOf(p.id).email && !flooded.has(p.id)) : [];
  for (const staffId of inApp.filter((id) => flooded.has(id))) await addToDigest(db, staffId, n);
  const single = inApp.filter((id) => !flooded.has(id));
  if (single.length)
    await db
      .insertInto("notifications")
      .values(single.map((staff_id) => ({ staff_id, type: n.type, ticket_id: n.ticketId, data: JSON.stringify(n.data) })))
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

const SLA_KINDS = new Set<NotificationType>(["sla_warning", "sla_breached", "escalated"]);
/** This many unread SLA notifications within the window, and the next ones go into a digest. */
const DIGEST_AFTER = 3;
/** The window, in the database's clock (the one notifications are stamped with). */
const RECENT = sql<Date>`now() - interval '15 minutes'`;
const DIGEST_TICKETS = 50;

/** Who already has DIGEST_AFTER unread SLA notifications from the last minutes. */
async function floodedBySla(db: Executor, staffIds: number[]) {
  const rows = await db
    .selectFrom("notifications")
    .select(["staff_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("staff_id", "in", staffIds)
    .where("type", "in", [...SLA_KINDS, "sla_digest"])
    .where("read_at", "is", null)
    .where("created_at", ">", RECENT)
    .groupBy("staff_id")
    .execute();
  return new Set(rows.filter((r) => Number(r.n) >= DIGEST_AFTER).map((r) => r.staff_id));
}

/** Counts the news into the person's open digest (one per window), starting one when there is none. */
async function addToDigest(db: Executor, staffId: number, n: { type: NotificationType; ticketId: number | null }) {
  const open = await db
    .selectFrom("notifications")
    .select(["id", "data"])
    .where("staff_id", "=", staffId)
    .where("type", "=", "sla_digest")
    .where("read_at", "is", null)
    .where("created_at", ">", RECENT)
    .orderBy("id", "desc")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  const data = (open?.data ?? { count: 0, ticketIds: [], kinds: {} }) as {
    count: number;
    ticketIds: number[];
    kinds: Record<string, number>;
  };
  const next = {
    count: data.count + 1,
    ticketIds: n.ticketId && !data.ticketIds.includes(n.ticketId) ? [...data.ticketIds, n.ticketId].slice(-DIGEST_TICKETS) : data.ticketIds,
    kinds: { ...data.kinds, [n.type]: (data.kinds[n.type] ?? 0) + 1 },
  };
  if (open)
    await db
      .updateTable("notifications")
      .set({ data: JSON.stringify(next) })
      .where("id", "=", open.id)
      .execute();
  else
    await db
      .insertInto("notifications")
      .values({ staff_id: staffId, type: "sla_digest", ticket_id: null, data: JSON.stringify(next) })
      .execute();
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
