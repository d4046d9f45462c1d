import type { Shift } from "@loopdesk/contracts/routing";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { type AuditActor, type AuditEntry, recordAudit } from "../../platform/audit/audit-log";
import type { Rng } from "./demo-rng";

const DAY = 86_400_000;
const BROWSERS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
];

/**
 * A month of 审计日志 for the demo: the staff's daily sign-ins from the office network, a burst of
 * wrong passwords from outside, and the administrators' and supervisors' changes (an SLA policy
 * tightened last week, a routing rule, a webhook, a token, exports) with their before and after.
 */
export async function seedDemoAudit(db: Transaction<DB>, r: Rng, now: Date) {
  const staff = await db.selectFrom("staff").select(["id", "name", "email", "role"]).orderBy("id").execute();
  const admin = staff.find((s) => s.role === "admin");
  const lead = staff.find((s) => s.role === "supervisor");
  if (!admin || !lead) return;
  const as = (s: { id: number; name: string }): AuditActor => ({ type: "staff", id: s.id, name: s.name });
  const entries: AuditEntry[] = [];
  // Hours of the workspace's day (UTC+8); what would lie in the future is left out.
  const midnight = Math.floor((now.getTime() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
  const at = (daysAgo: number, hour: number) => new Date(midnight - daysAgo * DAY + hour * 3_600_000 + r.next() * 1_800_000);

  // Each signs in as their shift begins, on the days they work (those without shifts on weekdays, in the morning).
  const shifts = new Map(
    (await db.selectFrom("agent_states").select(["staff_id", "shifts"]).execute()).map((a) => [a.staff_id, (a.shifts ?? []) as Shift[]]),
  );
  const signIn = (s: { id: number }, d: number) => {
    const weekday = new Date(midnight - d * DAY + 12 * 3_600_000).getUTCDay() || 7;
    const own = shifts.get(s.id) ?? [];
    if (own.length === 0) return weekday <= 5 && r.chance(0.8) ? at(d, 8 + r.next() * 2) : null;
    const today = own.find((x) => x.weekday === weekday);
    if (!today || !r.chance(0.95)) return null;
    const [h, m] = today.start.split(":").map(Number) as [number, number];
    return at(d, h + m / 60 - 0.5);
  };
  for (let d = 29; d >= 0; d--) {
    for (const s of staff) {
      const when = signIn(s, d);
      if (when)
        entries.push({
          at: when,
          action: "auth.login",
          actor: as(s),
          ip: `10.12.${s.id % 8}.${20 + (s.id % 200)}`,
          target: { type: "staff", id: s.id, name: s.email },
          detail: { method: "password", userAgent: r.pick(BROWSERS) },
        });
    }
  }
  for (let i = 0; i < 9; i++)
    entries.push({
      at: at(3, 3 + i * 0.01),
      action: "auth.login",
      outcome: "failed",
      actor: { type: "anonymous" },
      ip: "203.0.113.77",
      target: { type: "staff", name: admin.email },
      detail: { reason: i < 5 ? "unauthorized" : "too_many_requests" },
    });

  const vip = await db.selectFrom("sla_policies").selectAll().where("name", "=", "VIP 客户").executeTakeFirst();
  if (vip)
    entries.push({
      at: at(6, 15),
      action: "sla-policies.update",
      actor: as(admin),
      ip: "10.12.0.5",
      target: { type: "sla_policies", id: vip.id, name: vip.name },
      before: { ...vip, first_response_minutes: 60, resolution_minutes: 720 },
      after: vip,
    });
  const rule = await db.selectFrom("routing_rules").selectAll().orderBy("id").executeTakeFirst();
  if (rule)
    entries.push({
      at: at(12, 11),
      action: "routing.rules.create",
      actor: as(admin),
      ip: "10.12.0.5",
      target: { type: "routing_rules", id: rule.id, name: rule.name },
      after: rule,
    });
  const department = await db.selectFrom("departments").selectAll().orderBy("id", "desc").executeTakeFirst();
  if (department)
    entries.push({
      at: at(20, 10),
      action: "departments.create",
      actor: as(admin),
      ip: "10.12.0.5",
      target: { type: "departments", id: department.id, name: department.name },
      after: department,
    });
  entries.push(
    {
      at: at(9, 16),
      action: "webhooks.create",
      actor: as(admin),
      ip: "10.12.0.5",
      target: { type: "webhooks", name: "客服主管群机器人" },
      after: {
        name: "客服主管群机器人",
        kind: "wecom",
        url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        secret: "sealed",
        events: ["ticket.sla_breached"],
      },
    },
    {
      at: at(8, 14),
      action: "tokens.create",
      actor: as(admin),
      ip: "10.12.0.5",
      target: { type: "api_tokens", name: "ERP 对接" },
      after: { name: "ERP 对接", prefix: "ldk_Q2x9", token_hash: "sealed", expires_at: null },
    },
    {
      at: at(2, 17),
      action: "tickets.export",
      actor: as(lead),
      ip: `10.12.${lead.id % 8}.${20 + (lead.id % 200)}`,
      target: { type: "tickets" },
      detail: { query: { format: "xlsx", status: ["solved", "closed"] } },
    },
    {
      at: at(1, 9),
      action: "analytics.export",
      actor: as(lead),
      ip: `10.12.${lead.id % 8}.${20 + (lead.id % 200)}`,
      target: { type: "analytics" },
      detail: { query: { format: "xlsx", report: "overview" } },
    },
  );
  const promoted = await db.selectFrom("staff").selectAll().where("id", "=", lead.id).executeTakeFirstOrThrow();
  entries.push({
    at: at(25, 10),
    action: "staff.update",
    actor: as(admin),
    ip: "10.12.0.5",
    target: { type: "staff", id: lead.id, name: lead.name },
    before: { ...promoted, role: "agent" },
    after: promoted,
  });
  entries.sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0));
  for (const e of entries) if ((e.at?.getTime() ?? 0) < now.getTime()) await recordAudit(db, e);
}
