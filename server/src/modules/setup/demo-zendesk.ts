import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import type { ForeignOrganization, ForeignPerson, ForeignTicket, SourceSurvey } from "../imports/helpdesk/foreign";
import { type ForeignMaps, writeForeignTickets, writeOrganizations, writePeople } from "../imports/helpdesk/write-foreign";
import { newWriteCache } from "../imports/write-imported";
import * as talk from "./demo-conversations";
import type { Rng } from "./demo-rng";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const COMPANIES = ["星河电子商务有限公司", "远航物流集团", "Bluewave Retail Ltd."];
const PEOPLE = ["林晓雯", "Daniel Wu", "郑凯", "何佳怡", "Sophie Lin", "唐俊", "罗薇", "Kevin Chan", "梁宇", "宋雨桐", "韩冰", "Grace Ho"];
const ZD_STATUS = ["solved", "solved", "solved", "closed", "closed"];
const ZD_PRIORITY = ["normal", "normal", "normal", "high", "low", "urgent"];
const ZD_CHANNEL = ["email", "email", "web", "native_messaging", "voice"];

/**
 * The team's overseas desk ran on Zendesk until last autumn; its full JSON export (tickets with
 * their comments, users, organizations) was imported three weeks ago through the same writer as
 * the wizard: agents matched to staff here by email, one former agent without an account (her
 * replies keep her name), their groups matched to departments by name, internal notes kept.
 */
export async function seedDemoZendesk(ctx: AppContext, db: Transaction<DB>, r: Rng, now: Date) {
  const admin = await db.selectFrom("staff").select("id").where("role", "=", "admin").orderBy("id").executeTakeFirst();
  const staff = await db.selectFrom("staff").select(["id", "name", "email"]).where("role", "=", "agent").orderBy("id").limit(3).execute();
  const departments = await db.selectFrom("departments").select(["id", "name"]).orderBy("id").execute();
  if (!admin || staff.length < 2 || !departments.length) return;
  const organizations: ForeignOrganization[] = COMPANIES.map((name, i) => ({ externalId: String(360001 + i), name, domain: null }));
  const agents: ForeignPerson[] = [
    ...staff.map((s, i) => ({
      externalId: String(9100 + i),
      name: s.name,
      email: s.email,
      phone: null,
      role: "staff" as const,
      organizationId: null,
    })),
    { externalId: "9199", name: "Amy 陈（已离职）", email: "amy.chen@old-desk.example", phone: null, role: "staff", organizationId: null },
  ];
  const customers: ForeignPerson[] = PEOPLE.map((name, i) => ({
    externalId: String(8100 + i),
    name,
    email: `zd.customer${i + 1}@example.cn`,
    phone: i % 3 === 0 ? `1360000${String(2100 + i)}` : null,
    role: "customer",
    organizationId: i < 9 ? organizations[i % 3].externalId : null,
  }));
  const start = Date.UTC(now.getUTCFullYear() - 1, 3, 1, 1);
  const tickets: ForeignTicket[] = [];
  for (let i = 0; i < 24; i++) {
    const category = r.weighted(talk.categories, (c) => c.weight);
    const request = r.pick(category.cases);
    const requester = r.pick(customers);
    // One ticket in five was answered by the agent who has since left (her replies keep her name).
    const agent = i % 5 === 2 ? agents[agents.length - 1] : r.pick(agents.slice(0, -1));
    const created = new Date(start + Math.floor(r.next() * 120 * DAY) + Math.floor(r.next() * 9) * HOUR);
    const replied = new Date(created.getTime() + Math.round(r.around(3, 0.6) * HOUR));
    const answered = new Date(replied.getTime() + Math.round(r.around(5, 0.6) * HOUR));
    const id = 41200 + i * 7;
    const comment = (n: number, author: ForeignPerson, at: Date, text: string, isPublic = true) => ({
      externalId: String(id * 100 + n),
      authorId: author.externalId,
      authorName: author.name,
      public: isPublic,
      text,
      html: null,
      createdAt: at,
      attachments: [],
    });
    const group = departments.find((d) => d.name === category.department) ?? departments[0];
    tickets.push({
      externalId: String(id),
      number: String(id),
      subject: request.subject,
      status: r.pick(ZD_STATUS),
      priority: r.pick(ZD_PRIORITY),
      channel: r.pick(ZD_CHANNEL),
      group: group.name,
      assigneeId: agent.externalId,
      requesterId: requester.externalId,
      organizationId: requester.organizationId,
      tags: ["zendesk", ...(r.chance(0.4) ? ["vip"] : [])],
      createdAt: created,
      updatedAt: answered,
      solvedAt: null,
      closedAt: null,
      comments: [
        comment(1, requester, created, request.detail),
        ...(r.chance(0.4) ? [comment(2, agent, new Date(created.getTime() + HOUR), "已核对订单记录，客户信息无误。", false)] : []),
        comment(3, agent, replied, request.solve),
        comment(4, requester, answered, r.pick(["好的，谢谢！", "问题解决了，感谢。", "收到，辛苦了。"])),
      ],
    });
  }
  const survey: SourceSurvey = {
    tickets: tickets.length,
    people: agents.length + customers.length,
    agents: agents.map((a) => ({ value: (a.email ?? "").toLowerCase(), name: a.name })),
    organizations: organizations.length,
    statuses: ["solved", "closed"],
    priorities: ["low", "normal", "high", "urgent"],
    groups: [...new Set(tickets.map((t) => t.group as string))],
    channels: [...new Set(tickets.map((t) => t.channel as string))],
  };
  const when = new Date(now.getTime() - 21 * DAY);
  const job = await db
    .insertInto("import_jobs")
    .values({
      source: "zendesk",
      entity: "tickets",
      status: "done",
      file_name: "tickets.json, users.json, organizations.json",
      file_size: 186_402,
      format: "zendesk-export",
      headers: "[]",
      sample: "[]",
      columns: "{}",
      options: JSON.stringify({ runAutomations: false, connection: {} }),
      survey: JSON.stringify(survey),
      total_rows: tickets.length,
      processed_rows: tickets.length,
      created: tickets.length,
      created_by: admin.id,
      created_at: when,
      started_at: when,
      finished_at: new Date(when.getTime() + 6000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const target = { id: job.id, source: "zendesk" as const, entity: "tickets" as const, runAutomations: false };
  const maps: ForeignMaps = {
    organizations: new Map(),
    people: new Map(),
    staffByEmail: new Map(staff.map((s) => [s.email.toLowerCase(), s.id])),
    departments: new Map(departments.map((d) => [d.name, d.id])),
    valueMap: {},
  };
  const cache = newWriteCache();
  await writeOrganizations(db, target, organizations, maps, cache);
  await writePeople(db, target, [...agents, ...customers], maps, cache);
  await writeForeignTickets(ctx, db, target, tickets, maps, new Map());
}
