import fs from "node:fs";
import { type Kysely, sql } from "kysely";
import type { DB } from "../../server/src/db/schema";
import { median } from "./load";
import { REPORTS } from "./replica-bench";

const REPORTS_FROM = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
const REPORTS_TO = new Date().toISOString().slice(0, 10);

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;
type Plan = { "Node Type"?: string; "Index Name"?: string; "Relation Name"?: string; Plans?: Plan[] };

/**
 * PostgreSQL settings for a server whose plans are logged on demand (auto_explain, JSON, nested
 * statements too). Not the duration: a setting on the command line would win over `alter system`.
 */
export const planLogSettings = {
  shared_preload_libraries: "auto_explain",
  "auto_explain.log_format": "json",
  "auto_explain.log_nested_statements": "on",
};

/** Every statement's plan is logged from now on, in every session (a reload reaches open connections too). */
export async function logPlans(db: Kysely<DB>, on: boolean) {
  await sql.raw(`alter system set auto_explain.log_min_duration = ${on ? 0 : -1}`).execute(db);
  await sql`select pg_reload_conf()`.execute(db);
  await new Promise((r) => setTimeout(r, 500));
}

/** The plans auto_explain wrote to a server log (from a byte offset on), with each statement's text. */
export function plansInLog(file: string, from: number, to?: number): { query: string; plan: Plan }[] {
  const text = fs.readFileSync(file).subarray(from, to).toString("utf8");
  const entries = text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/);
  const plans: { query: string; plan: Plan }[] = [];
  for (const entry of entries) {
    const at = entry.indexOf("plan:\n");
    if (at < 0) continue;
    try {
      const parsed = JSON.parse(entry.slice(at + 6)) as { "Query Text": string; Plan: Plan };
      plans.push({ query: parsed["Query Text"], plan: parsed.Plan });
    } catch {
      // an entry cut by the log's end
    }
  }
  return plans;
}

export function indexesIn(plan: Plan, table: string, found = new Set<string>()) {
  if (plan["Index Name"] && (plan["Relation Name"] === table || plan["Node Type"] === "Bitmap Index Scan")) found.add(plan["Index Name"]);
  for (const child of plan.Plans ?? []) indexesIn(child, table, found);
  return found;
}

/** Per index of a table: how many logged statements (distinct texts) used it, and a few of them. */
export function indexUsage(plans: { query: string; plan: Plan }[], indexes: string[], table: string) {
  const byIndex = new Map<string, Set<string>>(indexes.map((i) => [i, new Set()]));
  for (const { query, plan } of plans) {
    for (const index of indexesIn(plan, table)) byIndex.get(index)?.add(query.replace(/\s+/g, " ").trim());
  }
  return indexes.map((index) => {
    const queries = [...(byIndex.get(index) ?? [])];
    return { index, statements: queries.length, examples: queries.slice(0, 3).map((q) => q.slice(0, 220)) };
  });
}

/** The indexes of a table (the primary key and unique constraints included). */
export async function indexesOf(db: Kysely<DB>, table: string) {
  const { rows } = await sql<{ name: string; definition: string; sizeMiB: number }>`
    select indexrelname as name, pg_get_indexdef(indexrelid) as definition, round(pg_relation_size(indexrelid) / 1048576.0, 1)::float as "sizeMiB"
    from pg_stat_user_indexes where relname = ${table} order by indexrelname`.execute(db);
  return rows;
}

/**
 * What people and the server do with tickets in a day, through the API: every built-in view and
 * sort of the list as an administrator, a supervisor, an agent and a customer, the filters, a
 * search, the ticket page, the customer's history, reports and exports, and the writes
 * (creation with a repeat, reply, status and assignee changes, a merge).
 */
export async function exerciseTickets(
  callers: { admin: Api; supervisor: Api; agent: Api; customer: Api },
  ids: { department: number; category: number; agent: number; customer: number },
) {
  const { admin, supervisor, agent, customer } = callers;
  const unsolved = "status=new,open,pending,on_hold";
  const sorts = [
    "-updated_at",
    "updated_at",
    "-created_at",
    "created_at",
    "-priority",
    "priority",
    "sla_due",
    "-sla_due",
    "-score",
    "score",
  ];
  const lists = [
    "",
    `${unsolved}`,
    `${unsolved}&assignee=me`,
    `${unsolved}&assignee=none`,
    `${unsolved}&department=mine`,
    `${unsolved}&sla=at_risk`,
    `${unsolved}&sla=breached`,
    "status=solved",
    "status=closed",
    `department=${ids.department}`,
    `category=${ids.category}`,
    `assignee=${ids.agent}`,
    `customer=${ids.customer}`,
    "priority=urgent,high",
    "tag=VIP",
    "createdFrom=2026-01-01T00:00:00Z&createdTo=2026-02-01T00:00:00Z",
    "q=分析基准",
    "q=12345",
  ];
  for (const caller of [admin, supervisor, agent]) {
    for (const filter of lists) {
      await caller("GET", `/api/v1/tickets/count?${filter}`);
      for (const sort of filter.startsWith("q=") ? ["relevance", "-updated_at"] : sorts)
        await caller("GET", `/api/v1/tickets?${filter}&sort=${sort}&limit=25`);
    }
    const page = (await caller("GET", `/api/v1/tickets?${unsolved}&limit=25`)) as { nextCursor?: string };
    if (page.nextCursor) await caller("GET", `/api/v1/tickets?${unsolved}&limit=25&cursor=${encodeURIComponent(page.nextCursor)}`);
    await caller("GET", "/api/v1/search?q=分析基准");
    await caller("GET", "/api/v1/tasks/count");
  }
  await customer("GET", "/api/v1/tickets?limit=25");
  await customer("GET", "/api/v1/tickets?status=new,open,pending&limit=25");
  for (const report of REPORTS) await supervisor("GET", report);
  for (const path of ["teams", "me"]) await supervisor("GET", `/api/v1/analytics/${path}?from=${REPORTS_FROM}&to=${REPORTS_TO}`);
  await admin("GET", `/api/v1/tickets/export?format=csv&${unsolved}`);
  await admin("GET", "/api/v1/routing/board");
  await admin("GET", `/api/v1/customers/${ids.customer}`);

  // Writes: a new ticket and its repeat, a reply, status and assignee changes, a merge.
  const create = (subject: string) =>
    admin("POST", "/api/v1/tickets", {
      subject,
      description: `${subject}，订单号 DD20261205`,
      customer: { email: "review@example.cn" },
    }) as Promise<{ id: number }>;
  const first = await create("发票抬头开错了");
  const repeat = await create("发票抬头开错了");
  for (const id of [first.id, repeat.id]) {
    for (const sub of ["", "/messages", "/events", "/sla", "/routing", "/recommendations", "/processes", "/progress"])
      await admin("GET", `/api/v1/tickets/${id}${sub}`);
  }
  await admin("POST", `/api/v1/tickets/${first.id}/messages`, { body: "您好，已为您重新开具。" });
  await admin("PATCH", `/api/v1/tickets/${first.id}`, { status: "pending" });
  await admin("PATCH", `/api/v1/tickets/${first.id}`, { assigneeId: ids.agent });
  await admin("PATCH", `/api/v1/tickets/${first.id}`, { status: "solved" });
  await admin("POST", `/api/v1/tickets/${first.id}/merge`, { ticketId: repeat.id });
  await admin("GET", `/api/v1/tickets?customer=${ids.customer}&limit=10`);
}

/** A caller signed in with a session cookie (customers have no API tokens). */
export async function sessionCaller(url: string, email: string, password: string, as: "staff" | "customer"): Promise<Api> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, as }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method, path, body) => {
    const answer = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrfToken, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await answer.text();
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${text.slice(0, 200)}`);
    return text && answer.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  };
}

/** A request the review made, and where its statements' plans lie in the server log. */
export type Recorded = { caller: string; method: string; url: string; from: number; to: number };

/** The caller, each request of it recorded with the log's extent while it ran. */
export function recording(api: Api, caller: string, logFile: string, into: Recorded[]): Api {
  return async (method, url, body) => {
    const from = fs.statSync(logFile).size;
    const answer = await api(method, url, body);
    into.push({ caller, method, url, from, to: fs.statSync(logFile).size });
    return answer;
  };
}

/**
 * What the requests that used an index cost without it: each read request timed (median of
 * `repeat`) with the index, then with it dropped, then it is built again.
 */
export async function withoutIndex(
  db: Kysely<DB>,
  index: { name: string; definition: string },
  requests: { api: Api; url: string }[],
  repeat: number,
) {
  const time = async () => {
    const out: number[] = [];
    for (const r of requests) {
      await r.api("GET", r.url);
      const ms: number[] = [];
      for (let i = 0; i < repeat; i++) {
        const t = performance.now();
        await r.api("GET", r.url);
        ms.push(performance.now() - t);
      }
      out.push(median(ms));
    }
    return out;
  };
  const before = await time();
  await sql.raw(`drop index ${index.name}`).execute(db);
  let after: number[];
  try {
    after = await time();
  } finally {
    await sql.raw(index.definition).execute(db);
  }
  return requests.map((r, i) => ({
    url: r.url,
    withMs: Math.round((before[i] as number) * 10) / 10,
    withoutMs: Math.round((after[i] as number) * 10) / 10,
  }));
}
