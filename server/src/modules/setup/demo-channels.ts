import { randomBytes } from "node:crypto";
import type { Insertable, Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { InboundEmailsTable } from "../../db/schema-intake";
import type { AppContext } from "../../platform/context";
import { type Frequency, nextRunAt } from "../analytics/report-periods";
import { ticketSummary } from "../tickets/ticket-lookup";
import { deliveryPayload } from "../webhooks/webhook-delivery";
import { webhookText } from "../webhooks/webhook-jobs";
import { type Rng, rng } from "./demo-rng";

const DAY = 86_400_000;
const DOMAIN = "demo.loopdesk.local";
/** Random text of this many characters from the key alphabet (credentials the demo never uses). */
const secret = (chars: number) =>
  randomBytes(chars)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "x")
    .slice(0, chars);

/**
 * The workspace's ways in and out, as a team that has run Loopdesk for a while has them: two
 * mailboxes on the built-in SMTP listener with the last two weeks' inbound mail log (new tickets,
 * replies joined to their ticket, an auto-reply and a repeat delivery that were kept out), a
 * WeCom and a DingTalk channel, two group robots with their delivery history, and two report
 * subscriptions. The demo runs without the Internet, so nothing here reaches outside: the robots
 * are paused (a live one would fail every delivery), no IMAP host is polled, and no demo ticket
 * is tied to an IM conversation that a reply would be sent to.
 */
export async function seedDemoChannels(ctx: AppContext, db: Transaction<DB>, departments: Map<string, number>, now: Date) {
  const r = rng(20261208);
  const mailboxes = await db
    .insertInto("mailboxes")
    .values([
      { name: "售后服务邮箱", address: `service@${DOMAIN}`, department_id: departments.get("售后服务") ?? null, category_id: null },
      { name: "发票与对账", address: `invoice@${DOMAIN}`, department_id: departments.get("财务") ?? null, category_id: null },
    ])
    .returning(["id", "department_id"])
    .execute();
  const boxFor = (departmentId: number | null) => (mailboxes.find((b) => b.department_id === departmentId) ?? mailboxes[0])?.id ?? null;
  await seedInboundLog(ctx, db, boxFor, r, now);

  await db
    .insertInto("im_channels")
    .values([
      {
        kind: "wecom",
        name: "企业微信客服（售后）",
        config: JSON.stringify({
          corpId: `ww${randomBytes(8).toString("hex")}`,
          agentId: "1000002",
          token: secret(16),
          encodingAesKey: secret(43),
          secret: secret(43),
        }),
        api_base: null,
      },
      {
        kind: "dingtalk",
        name: "钉钉客户群（技术支持）",
        config: JSON.stringify({
          appKey: `ding${secret(16).toLowerCase()}`,
          appSecret: secret(64),
          robotCode: `ding${secret(16).toLowerCase()}`,
        }),
        api_base: null,
      },
    ])
    .execute();

  await seedRobots(ctx, db, now);

  const supervisors = (await db.selectFrom("staff").select("email").where("role", "=", "supervisor").orderBy("id").execute()).map(
    (s) => s.email,
  );
  const schedule = (name: string, frequency: Frequency, recipients: string[], filters: Record<string, number>) => {
    const next = nextRunAt(frequency, now, ctx.config.timeZone);
    const last =
      frequency === "weekly"
        ? new Date(next.getTime() - 7 * DAY)
        : nextRunAt(frequency, new Date(now.getTime() - 31 * DAY), ctx.config.timeZone);
    return {
      name,
      frequency,
      recipients,
      filters: JSON.stringify(filters),
      locale: "zh-CN",
      next_run_at: next,
      last_sent_at: last,
      updated_at: now,
    };
  };
  const afterSales = departments.get("售后服务");
  await db
    .insertInto("report_schedules")
    .values([
      schedule("客服周报", "weekly", supervisors, {}),
      schedule("售后服务月报", "monthly", supervisors.slice(0, 1), afterSales ? { departmentId: afterSales } : {}),
    ])
    .execute();
}

/** The inbound mail log of the last two weeks: each email ticket's first mail and the customers' replies by mail. */
async function seedInboundLog(
  ctx: AppContext,
  db: Transaction<DB>,
  boxFor: (departmentId: number | null) => number | null,
  r: Rng,
  now: Date,
) {
  const since = new Date(now.getTime() - 14 * DAY);
  const tickets = await db
    .selectFrom("tickets")
    .select(["id", "subject", "customer_id", "department_id", "created_at"])
    .where("channel", "=", "email")
    .where("created_at", ">=", since)
    .execute();
  const replies = await db
    .selectFrom("ticket_messages as m")
    .innerJoin("tickets as t", "t.id", "m.ticket_id")
    .select(["t.id", "t.subject", "t.customer_id", "t.department_id", "m.created_at"])
    .where("t.channel", "=", "email")
    .where("m.author_type", "=", "customer")
    .where("m.created_at", ">=", since)
    .where("m.created_at", ">", (eb) => eb.ref("t.created_at"))
    .execute();
  type Sent = { id: number; subject: string; customer_id: number; department_id: number | null; created_at: Date };
  const mail = (t: Sent, reply: boolean): Insertable<InboundEmailsTable> => ({
    mailbox_id: boxFor(t.department_id),
    source: "smtp",
    message_id: `<${randomBytes(8).toString("hex")}@example.cn>`,
    from_address: `customer${t.customer_id}@example.cn`,
    subject: reply ? `Re: ${t.subject}` : t.subject,
    size: 2000 + Math.floor(r.next() * 6000),
    outcome: reply ? "appended" : "created",
    reason: null,
    ticket_id: t.id,
    raw_sha256: null,
    received_at: t.created_at,
  });
  const rows = [...tickets.map((t) => mail(t, false)), ...replies.map((t) => mail(t, true))];
  // Kept out of the queues: an out-of-office answer to one of our replies (its raw message kept), and
  // a mail server's second delivery of a message already taken.
  const away = new Date(now.getTime() - 2 * DAY - 3 * 3_600_000);
  const raw = [
    "From: 赵经理 <manager.zhao@example.cn>",
    `To: service@${DOMAIN}`,
    "Subject: 自动回复：休假中",
    "Auto-Submitted: auto-replied",
    `Date: ${away.toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "您好，我 12 月 1 日至 12 月 8 日休假，期间邮件将延迟回复。急事请联系 138 0000 0000。",
    "",
  ].join("\r\n");
  rows.push({
    mailbox_id: boxFor(null),
    source: "smtp",
    message_id: `<${randomBytes(8).toString("hex")}@example.cn>`,
    from_address: "manager.zhao@example.cn",
    subject: "自动回复：休假中",
    size: Buffer.byteLength(raw),
    outcome: "ignored",
    reason: "auto_reply",
    ticket_id: null,
    raw_sha256: (await ctx.files.put(Buffer.from(raw))).sha256,
    received_at: away,
  });
  const original = rows[0];
  if (original?.outcome === "created")
    rows.push({
      ...original,
      outcome: "duplicate",
      ticket_id: null,
      received_at: new Date(new Date(original.received_at as Date).getTime() + 90_000),
    });
  const at = (x: Insertable<InboundEmailsTable>) => new Date(x.received_at as Date).getTime();
  rows.sort((a, b) => at(a) - at(b));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("inbound_emails")
      .values(rows.slice(i, i + 500))
      .execute();
}

/**
 * Two group robots, paused: the after-sales group's DingTalk robot was told of every missed target and
 * escalation, the supervisors' WeCom robot of low ratings, until a few days ago (their deliveries are
 * in the log, each answered by the platform).
 */
async function seedRobots(ctx: AppContext, db: Transaction<DB>, now: Date) {
  const pausedAt = new Date(now.getTime() - 3 * DAY);
  const hooks = await db
    .insertInto("webhooks")
    .values([
      {
        name: "售后群机器人",
        kind: "dingtalk",
        url: `https://oapi.dingtalk.com/robot/send?access_token=${randomBytes(32).toString("hex")}`,
        secret: `SEC${randomBytes(32).toString("hex")}`,
        events: ["ticket.sla_breached", "ticket.escalated"],
        active: false,
        updated_at: pausedAt,
      },
      {
        name: "主管群机器人（差评提醒）",
        kind: "wecom",
        url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${randomBytes(16).toString("hex")}`,
        secret: null,
        events: ["ticket.csat_received"],
        active: false,
        updated_at: pausedAt,
      },
    ])
    .returning("id")
    .execute();
  const [dingtalk, wecom] = hooks;
  const since = new Date(pausedAt.getTime() - 10 * DAY);
  const sla = await db
    .selectFrom("ticket_events")
    .select(["ticket_id", "type", "field", "created_at"])
    .where("type", "in", ["sla_breached", "escalated"])
    .where("created_at", ">=", since)
    .where("created_at", "<", pausedAt)
    // The latest before the pause.
    .orderBy("created_at", "desc")
    .limit(40)
    .execute();
  const low = await db
    .selectFrom("csat_surveys")
    .select(["ticket_id", "rating", "comment", "answered_at"])
    .where("rating", "<=", 2)
    .where("answered_at", ">=", since)
    .where("answered_at", "<", pausedAt)
    .orderBy("answered_at")
    .execute();
  const deliveries = [];
  const delivered = async (webhookId: number, event: string, ticketId: number, at: Date, data: Record<string, unknown>) => {
    const ticket = await ticketSummary(db, ticketId, ctx.config.publicUrl);
    const detail = typeof data.target === "string" ? data.target : undefined;
    return {
      webhook_id: webhookId,
      event_type: event,
      ticket_id: ticketId,
      payload: deliveryPayload({ event, ticketId, ticket, data, text: webhookText("zh-CN", event, ticket, detail) }, at),
      status: "succeeded" as const,
      attempts: 1,
      response_status: 200,
      // Both platforms' robots answer so when they take a message.
      response_body: '{"errcode":0,"errmsg":"ok"}',
      created_at: at,
      completed_at: new Date(at.getTime() + 400),
    };
  };
  if (dingtalk)
    for (const e of sla)
      deliveries.push(
        await delivered(dingtalk.id, `ticket.${e.type}`, e.ticket_id, new Date(e.created_at), e.field ? { target: e.field } : {}),
      );
  if (wecom)
    for (const s of low)
      if (s.answered_at)
        deliveries.push(
          await delivered(wecom.id, "ticket.csat_received", s.ticket_id, new Date(s.answered_at), {
            rating: s.rating,
            ...(s.comment ? { comment: s.comment } : {}),
          }),
        );
  // Written in the order they happened, as the robots wrote them (the log lists the latest first by id).
  deliveries.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  if (deliveries.length) await db.insertInto("webhook_deliveries").values(deliveries).execute();
}
