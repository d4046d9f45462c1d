import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small Zendesk account in the shapes Zendesk's Support API documents (Tickets, Ticket Comments,
 * Users, Organizations, Groups, Attachments, the incremental exports), served over loopback HTTP
 * the way the API pages it — and written as the full JSON export's NDJSON files. The server
 * checks every request (basic auth `{email}/token:{token}`, the incremental start_time, cursors)
 * and answers the first ticket export call with a 429 and Retry-After, as Zendesk does under load.
 */
export const ZENDESK_EMAIL = "admin@acme.example";
export const ZENDESK_TOKEN = "zd-token-6wYq";
export const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1e3a8b00000000049454e44ae426082",
  "hex",
);
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

type Json = Record<string, unknown>;

export function zendeskAccount(base: string) {
  const organizations: Json[] = [
    { id: 9001, name: "华东贸易有限公司", domain_names: ["huadong.example"], shared_tickets: false, created_at: "2025-01-05T02:00:00Z" },
    { id: 9002, name: "Acme Robotics", domain_names: [], shared_tickets: false, created_at: "2025-01-06T02:00:00Z" },
  ];
  const users: Json[] = [
    { id: 101, name: "周婷", email: "zhouting@import.test", role: "agent", active: true, organization_id: null },
    { id: 102, name: "Old Agent", email: "old.agent@acme.example", role: "admin", active: true, organization_id: null },
    {
      id: 201,
      name: "陈晨",
      email: "chenchen@huadong.example",
      phone: "+86 138 0013 0001",
      role: "end-user",
      active: true,
      organization_id: 9001,
    },
    { id: 202, name: "Mia Wong", email: "mia@robotics.example", role: "end-user", active: true, organization_id: 9002 },
    { id: 203, name: "来电客户", email: null, phone: "13900001111", role: "end-user", active: true, organization_id: null },
  ];
  const groups: Json[] = [
    { id: 501, name: "售后服务部", default: true, is_public: true, deleted: false },
    { id: 502, name: "Billing", default: false, is_public: true, deleted: false },
  ];
  const attachment = (id: number, file_name: string, content_type: string, size: number) => ({
    id,
    file_name,
    content_type,
    size,
    content_url: `${base}/attachments/token/tok${id}/?name=${encodeURIComponent(file_name)}`,
  });
  const comment = (id: number, author_id: number, at: string, body: string, extra: Json = {}) => ({
    id,
    type: "Comment",
    author_id,
    body,
    plain_body: body,
    html_body: `<div class="zd-comment"><p>${body}</p></div>`,
    public: true,
    attachments: [],
    via: { channel: "web" },
    created_at: at,
    ...extra,
  });
  const tickets: (Json & { comments: Json[] })[] = [
    {
      id: 1001,
      subject: "打印机无法连接网络",
      description: "办公室的打印机连不上 Wi-Fi",
      status: "solved",
      priority: "high",
      requester_id: 201,
      submitter_id: 201,
      assignee_id: 101,
      organization_id: 9001,
      group_id: 501,
      tags: ["printer", "网络"],
      via: { channel: "email" },
      created_at: "2025-03-03T01:00:00Z",
      updated_at: "2025-03-04T08:00:00Z",
      comments: [
        comment(5001, 201, "2025-03-03T01:00:00Z", "办公室的打印机连不上 Wi-Fi", {
          attachments: [attachment(7001, "printer-error.png", "image/png", PNG.length)],
        }),
        comment(5002, 101, "2025-03-03T02:30:00Z", "内部：可能是固件问题，先查型号", { public: false }),
        comment(5003, 101, "2025-03-03T03:00:00Z", "请重启打印机并重新输入 Wi-Fi 密码。"),
        comment(5004, 201, "2025-03-03T05:00:00Z", "可以了，谢谢！", {
          attachments: [attachment(7002, "发票.pdf", "application/pdf", PDF.length)],
        }),
      ],
    },
    {
      id: 1002,
      subject: "Invoice shows the wrong company name",
      description: "Please reissue the invoice",
      status: "open",
      priority: "normal",
      requester_id: 202,
      submitter_id: 202,
      assignee_id: 102,
      organization_id: 9002,
      group_id: 502,
      tags: ["billing"],
      via: { channel: "web" },
      created_at: "2025-06-10T07:00:00Z",
      updated_at: "2025-06-10T09:00:00Z",
      comments: [
        comment(5011, 202, "2025-06-10T07:00:00Z", "Please reissue the invoice with Acme Robotics Ltd."),
        comment(5012, 102, "2025-06-10T09:00:00Z", "We are on it."),
      ],
    },
    {
      id: 1003,
      subject: "电话报修：空调漏水",
      description: "客户来电说空调漏水",
      status: "hold",
      priority: "urgent",
      requester_id: 203,
      submitter_id: 101,
      assignee_id: null,
      organization_id: null,
      group_id: null,
      tags: [],
      via: { channel: "voice" },
      created_at: "2025-09-01T03:00:00Z",
      updated_at: "2025-09-01T03:10:00Z",
      comments: [comment(5021, 203, "2025-09-01T03:00:00Z", "客户来电说空调漏水")],
    },
    {
      id: 1004,
      subject: "Spam",
      description: "buy now",
      status: "deleted",
      priority: null,
      requester_id: 202,
      submitter_id: 202,
      assignee_id: null,
      organization_id: null,
      group_id: null,
      tags: [],
      via: { channel: "web" },
      created_at: "2025-09-02T03:00:00Z",
      updated_at: "2025-09-02T03:00:00Z",
      comments: [comment(5031, 202, "2025-09-02T03:00:00Z", "buy now")],
    },
    {
      id: 1005,
      subject: "账号被锁定",
      description: "登录提示账号被锁定",
      status: "pending",
      priority: "low",
      requester_id: 201,
      submitter_id: 201,
      assignee_id: 101,
      organization_id: 9001,
      group_id: 501,
      tags: ["账号"],
      via: { channel: "native_messaging" },
      created_at: "2025-11-20T03:00:00Z",
      updated_at: "2025-11-20T04:00:00Z",
      comments: [
        comment(5041, 201, "2025-11-20T03:00:00Z", "登录提示账号被锁定"),
        comment(5042, 101, "2025-11-20T04:00:00Z", "已为您解锁，请再试一次。"),
      ],
    },
  ];
  return { organizations, users, groups, tickets };
}

/** The full JSON export's files: one ticket (with its comments) per line, users and organizations likewise. */
export function zendeskExportFiles(base: string) {
  const a = zendeskAccount(base);
  const ndjson = (rows: Json[]) => Buffer.from(`${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return {
    "tickets.json": ndjson(a.tickets),
    "users.json": ndjson(a.users),
    "organizations.json": ndjson(a.organizations),
  };
}

export type ZendeskRequest = { method: string; path: string; query: URLSearchParams; authorized: boolean };

/** The account's API on loopback; `requests` lists every call (path, query, whether its credential was right). */
export async function startZendesk() {
  const requests: ZendeskRequest[] = [];
  let rateLimited = false;
  /** While set, the ticket export page at this cursor answers 400 (a source failing mid-way). */
  const outage = { ticketCursor: null as string | null };
  let account: ReturnType<typeof zendeskAccount>;
  const expected = `Basic ${Buffer.from(`${ZENDESK_EMAIL}/token:${ZENDESK_TOKEN}`).toString("base64")}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const authorized = req.headers.authorization === expected;
    requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, authorized });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    if (!authorized) return json(401, { error: "Couldn't authenticate you" });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = <T>(rows: T[], size: number) => {
      const at = Number(url.searchParams.get("cursor") ?? 0);
      return { rows: rows.slice(at, at + size), next: at + size < rows.length ? at + size : null };
    };
    const p = url.pathname;
    // Zendesk counts the tickets that are not deleted.
    if (p === "/api/v2/tickets/count.json")
      return json(200, {
        count: { value: account.tickets.filter((t) => t.status !== "deleted").length, refreshed_at: "2026-12-01T00:00:00Z" },
      });
    if (p === "/api/v2/users/count.json") return json(200, { count: { value: account.users.length } });
    if (p === "/api/v2/organizations/count.json") return json(200, { count: { value: account.organizations.length } });
    if (p === "/api/v2/groups.json") return json(200, { groups: account.groups, next_page: null, count: account.groups.length });
    if (p === "/api/v2/users.json") {
      const roles = url.searchParams.getAll("role[]");
      return json(200, { users: account.users.filter((u) => roles.includes(String(u.role))), next_page: null });
    }
    if (p.startsWith("/api/v2/incremental/")) {
      // Every incremental export starts from a start_time (cursor pages carry their cursor instead).
      if (!url.searchParams.has("start_time") && !url.searchParams.has("cursor")) return json(400, { error: "InvalidValue" });
    }
    if (p === "/api/v2/incremental/organizations.json") {
      // Time-based: one organization per page, next_page by start_time.
      const start = Number(url.searchParams.get("start_time"));
      const rows = account.organizations.slice(start, start + 1);
      const end = start + 1 >= account.organizations.length;
      return json(200, {
        organizations: rows,
        count: rows.length,
        end_of_stream: end,
        end_time: start + 1,
        next_page: `${origin}/api/v2/incremental/organizations.json?start_time=${start + 1}`,
      });
    }
    if (p === "/api/v2/incremental/users/cursor.json") {
      const { rows, next } = page(account.users, 2);
      return json(200, {
        users: rows,
        after_cursor: next === null ? null : String(next),
        after_url: next === null ? null : `${origin}/api/v2/incremental/users/cursor.json?cursor=${next}`,
        end_of_stream: next === null,
      });
    }
    if (p === "/api/v2/incremental/tickets/cursor.json") {
      if (!rateLimited) {
        rateLimited = true;
        return json(429, { error: "APIRateLimitExceeded" }, { "retry-after": "1" });
      }
      if (outage.ticketCursor !== null && url.searchParams.get("cursor") === outage.ticketCursor)
        return json(400, { error: "InvalidPaginationParameter" });
      const { rows, next } = page(account.tickets, 2);
      return json(200, {
        tickets: rows.map(({ comments: _c, ...t }) => t),
        after_cursor: next === null ? null : String(next),
        after_url: next === null ? null : `${origin}/api/v2/incremental/tickets/cursor.json?cursor=${next}`,
        end_of_stream: next === null,
      });
    }
    const comments = /^\/api\/v2\/tickets\/(\d+)\/comments\.json$/.exec(p);
    if (comments) {
      const ticket = account.tickets.find((t) => String(t.id) === comments[1]);
      if (!ticket) return json(404, { error: "RecordNotFound" });
      const { rows, next } = page(ticket.comments, 2);
      return json(200, {
        comments: rows,
        next_page: next === null ? null : `${origin}${p}?cursor=${next}`,
        count: ticket.comments.length,
      });
    }
    const file = /^\/attachments\/token\/tok(\d+)\/$/.exec(p);
    if (file) {
      const data = file[1] === "7001" ? PNG : PDF;
      return res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(data.length) }).end(data);
    }
    json(404, { error: "InvalidEndpoint" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  account = zendeskAccount(url);
  return { url, requests, account, outage, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
