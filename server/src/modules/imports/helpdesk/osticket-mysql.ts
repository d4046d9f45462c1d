import type mysql from "mysql2/promise";
import { lazyModule } from "../../../platform/modules/lazy-module";

const mysql2 = lazyModule<typeof mysql>("mysql2/promise");
import { htmlToText } from "../../../platform/text/sanitize-html";
import { zonedInstant } from "../../sla/business-calendar";
import type { ForeignComment, ForeignTicket, HelpdeskSource, SourceSurvey, TicketPage } from "./foreign";
import { SourceError } from "./zendesk-api";

export type OsTicketConnection = {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** osTicket's table prefix (its installer's default is `ost_`). */
  prefix: string;
  /** The zone osTicket's DATETIME columns were written in. */
  timeZone: string;
};

const PAGE = 100;
type Row = Record<string, unknown>;

/**
 * osTicket (1.10 and later) read from its MySQL/MariaDB database: organizations, users (with their
 * default email and phone), agents, tickets with status, priority, department and subject, each
 * ticket's thread (M: the user's messages, R: agents' responses, N: internal notes) and the
 * attachments osTicket keeps in its database (file_chunk). Read-only: only SELECTs are sent.
 */
export async function osTicketSource(c: OsTicketConnection): Promise<HelpdeskSource> {
  if (!/^[A-Za-z0-9_]*$/.test(c.prefix)) throw new SourceError("bad_prefix", "A table prefix has only letters, digits and _.");
  let db: mysql.Connection;
  try {
    db = await mysql2().createConnection({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      database: c.database,
      dateStrings: true,
      charset: "utf8mb4",
      connectTimeout: 10_000,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ER_ACCESS_DENIED_ERROR") throw new SourceError("unauthorized", "The database refused the user and password.");
    if (code === "ER_BAD_DB_ERROR" || code === "ER_DBACCESS_DENIED_ERROR")
      throw new SourceError("no_database", `There is no database ${c.database}, or this user may not read it.`);
    throw new SourceError("unreachable", `The database did not answer: ${(e as Error).message}`);
  }
  const t = (name: string) => `\`${c.prefix}${name}\``;
  const query = async (sqlText: string, params: unknown[] = []) => {
    try {
      return (await db.query(sqlText, params))[0] as Row[];
    } catch (e) {
      if ((e as { code?: string }).code === "ER_NO_SUCH_TABLE")
        throw new SourceError("not_osticket", `This database has no osTicket tables with the prefix ${c.prefix}: ${(e as Error).message}`);
      throw e;
    }
  };
  const tables = new Set(
    (await query("select table_name as n from information_schema.tables where table_schema = database()")).map((r) => String(r.n)),
  );
  if (!tables.has(`${c.prefix}ticket`)) {
    await db.end();
    throw new SourceError("not_osticket", `This database has no table ${c.prefix}ticket: is it osTicket's, and is the prefix right?`);
  }
  const at = (v: unknown) => {
    const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v) : null;
    if (!m || m[1] === "0000") return null;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    return new Date(zonedInstant(y, mo, d, h * 60 + mi, c.timeZone) + s * 1000);
  };
  const str = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));
  const phoneOfUser = tables.has(`${c.prefix}user__cdata`);

  async function* keyset(sqlText: string, key: string): AsyncGenerator<Row[]> {
    let after = 0;
    for (;;) {
      const rows = await query(sqlText, [after, PAGE * 10]);
      if (!rows.length) return;
      yield rows;
      after = Number(rows.at(-1)?.[key]);
    }
  }
  async function readFile(fileId: string, backend: string) {
    if (backend !== "D") throw new SourceError("attachment_elsewhere", "osTicket keeps this file outside its database (a storage plugin).");
    const chunks = await query(`select filedata from ${t("file_chunk")} where file_id = ? order by chunk_id`, [fileId]);
    return Buffer.concat(chunks.map((r) => r.filedata as Buffer));
  }
  const openStates = ["open"];

  return {
    async survey(): Promise<SourceSurvey> {
      const count = async (q: string) => Number((await query(q))[0]?.n ?? 0);
      return {
        tickets: await count(
          `select count(*) as n from ${t("ticket")} tk join ${t("ticket_status")} s on s.id = tk.status_id where s.state <> 'deleted'`,
        ),
        people: await count(`select count(*) as n from ${t("user")}`),
        organizations: await count(`select count(*) as n from ${t("organization")}`),
        agents: (
          await query(`select email, firstname, lastname from ${t("staff")} where email is not null and email <> '' order by staff_id`)
        ).map((r) => ({ value: String(r.email).toLowerCase(), name: [r.firstname, r.lastname].filter(Boolean).join(" ") })),
        statuses: (await query(`select name from ${t("ticket_status")} where state <> 'deleted' order by sort, id`)).map((r) =>
          String(r.name),
        ),
        priorities: (await query(`select priority from ${t("ticket_priority")} order by priority_urgency desc`)).map((r) =>
          String(r.priority),
        ),
        groups: (await query(`select name from ${t("department")} order by id`)).map((r) => String(r.name)),
        channels: ["Web", "Email", "Phone", "API", "Other"],
      };
    },
    async *organizations() {
      for await (const rows of keyset(`select id, name, domain from ${t("organization")} where id > ? order by id limit ?`, "id"))
        yield rows.map((r) => ({ externalId: String(r.id), name: String(r.name), domain: str(r.domain) }));
    },
    async *people() {
      for await (const rows of keyset(
        `select staff_id, firstname, lastname, email, phone from ${t("staff")} where staff_id > ? order by staff_id limit ?`,
        "staff_id",
      ))
        yield rows.map((r) => ({
          externalId: `staff:${r.staff_id}`,
          name: [r.firstname, r.lastname].filter(Boolean).join(" "),
          email: str(r.email),
          phone: str(r.phone),
          role: "staff" as const,
          organizationId: null,
        }));
      const phone = phoneOfUser ? "cd.phone" : "null";
      const join = phoneOfUser ? `left join ${t("user__cdata")} cd on cd.user_id = u.id` : "";
      for await (const rows of keyset(
        `select u.id, u.name, u.org_id, e.address, ${phone} as phone from ${t("user")} u
         left join ${t("user_email")} e on e.id = u.default_email_id ${join}
         where u.id > ? order by u.id limit ?`,
        "id",
      ))
        yield rows.map((r) => ({
          externalId: `user:${r.id}`,
          name: String(r.name ?? ""),
          email: str(r.address),
          // osTicket's phone field keeps an extension after an X.
          phone: str(r.phone)?.replace(/X.*$/, "") || null,
          role: "customer" as const,
          organizationId: Number(r.org_id) ? String(r.org_id) : null,
        }));
    },
    async *tickets(from: string | null): AsyncGenerator<TicketPage> {
      let after = from ? Number(from) : 0;
      for (;;) {
        const rows = await query(
          `select tk.ticket_id, tk.number, tk.user_id, tk.staff_id, tk.source, tk.created, tk.updated, tk.closed,
                  s.name as status, s.state, d.name as department, cd.subject, p.priority
           from ${t("ticket")} tk
           join ${t("ticket_status")} s on s.id = tk.status_id
           left join ${t("department")} d on d.id = tk.dept_id
           left join ${t("ticket__cdata")} cd on cd.ticket_id = tk.ticket_id
           left join ${t("ticket_priority")} p on p.priority_id = cd.priority
           where tk.ticket_id > ? and s.state <> 'deleted' order by tk.ticket_id limit ?`,
          [after, PAGE],
        );
        if (!rows.length) return;
        const ids = rows.map((r) => r.ticket_id);
        const entries = await query(
          `select e.id, th.object_id as ticket_id, e.staff_id, e.user_id, e.type, e.poster, e.body, e.format, e.created
           from ${t("thread_entry")} e join ${t("thread")} th on th.id = e.thread_id and th.object_type = 'T'
           where th.object_id in (?) order by e.created, e.id`,
          [ids],
        );
        const files = entries.length
          ? await query(
              `select a.object_id as entry_id, f.id, f.name, f.size, f.bk from ${t("attachment")} a
               join ${t("file")} f on f.id = a.file_id where a.type = 'H' and a.object_id in (?) order by a.id`,
              [entries.map((e) => e.id)],
            )
          : [];
        const byTicket = new Map<string, ForeignComment[]>();
        for (const e of entries) {
          const html = e.format === "html" ? String(e.body ?? "") : null;
          const comment: ForeignComment = {
            externalId: String(e.id),
            authorId: e.type === "M" ? (Number(e.user_id) ? `user:${e.user_id}` : null) : Number(e.staff_id) ? `staff:${e.staff_id}` : null,
            authorName: str(e.poster),
            public: e.type !== "N",
            text: html === null ? String(e.body ?? "") : htmlToText(html),
            html,
            createdAt: at(e.created) ?? new Date(0),
            attachments: files
              .filter((f) => String(f.entry_id) === String(e.id))
              .map((f) => ({
                externalId: String(f.id),
                fileName: String(f.name),
                size: Number(f.size),
                read: () => readFile(String(f.id), String(f.bk)),
              })),
          };
          const list = byTicket.get(String(e.ticket_id)) ?? [];
          list.push(comment);
          byTicket.set(String(e.ticket_id), list);
        }
        const tickets: ForeignTicket[] = rows.map((r) => {
          const created = at(r.created) ?? new Date(0);
          const closed = openStates.includes(String(r.state)) ? null : at(r.closed);
          return {
            externalId: String(r.ticket_id),
            number: String(r.number ?? r.ticket_id),
            subject: String(r.subject ?? ""),
            status: String(r.status),
            state: openStates.includes(String(r.state)) ? "open" : "closed",
            priority: str(r.priority),
            channel: str(r.source),
            group: str(r.department),
            assigneeId: Number(r.staff_id) ? `staff:${r.staff_id}` : null,
            requesterId: Number(r.user_id) ? `user:${r.user_id}` : null,
            organizationId: null,
            tags: [],
            createdAt: created,
            updatedAt: at(r.updated) ?? created,
            solvedAt: closed,
            closedAt: closed,
            comments: byTicket.get(String(r.ticket_id)) ?? [],
          };
        });
        after = Number(rows.at(-1)?.ticket_id);
        yield { tickets, cursor: String(after) };
      }
    },
    async close() {
      await db.end();
    },
  };
}
