import type { Notification } from "@loopdesk/contracts/notifications";
import type { Executor } from "../../platform/jobs/job-queue";
import { publishEphemeral } from "../../platform/realtime/realtime-hub";

/** Stores in-app notifications and rings each recipient's bell on every server process (on commit). */
export async function notifyStaff(
  db: Executor,
  staffIds: number[],
  n: { type: Notification["type"]; ticketId: number | null; data: Record<string, unknown> },
) {
  const recipients = [...new Set(staffIds)];
  if (recipients.length === 0) return;
  await db
    .insertInto("notifications")
    .values(recipients.map((staff_id) => ({ staff_id, type: n.type, ticket_id: n.ticketId, data: JSON.stringify(n.data) })))
    .execute();
  for (const staffId of recipients)
    await publishEphemeral(db, { type: "notification.created", aggregateType: "notification", aggregateId: staffId, payload: { staffId } });
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
