import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { HelpdeskSource, SourceSurvey, TicketPage } from "./foreign";
import { type AttachmentReader, type ZendeskKind, zendeskKind, zendeskOrganization, zendeskPerson, zendeskTicket } from "./zendesk-records";

type Json = Record<string, unknown>;
const PAGE = 100;

/** Zendesk's files are NDJSON (its full JSON export: one record per line) or JSON (an array, or an API list `{"tickets": […]}`). */
async function* recordsOf(file: string): AsyncGenerator<Json> {
  const fd = fs.openSync(file, "r");
  const head = Buffer.alloc(64);
  const n = fs.readSync(fd, head, 0, 64, 0);
  fs.closeSync(fd);
  const first = head
    .subarray(0, n)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart()[0];
  if (first === "[") {
    for (const o of JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as Json[]) yield o;
    return;
  }
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  let buffered: string[] | null = null;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (buffered) {
      buffered.push(line);
      continue;
    }
    if (!line.trim()) continue;
    let o: Json;
    try {
      o = JSON.parse(line) as Json;
    } catch {
      // Not one object per line: a pretty-printed JSON document.
      buffered = [line];
      continue;
    }
    yield* unwrap(o);
  }
  if (buffered) yield* unwrap(JSON.parse(buffered.join("\n")) as Json);
}

/** An API list page holds its records under the resource's name. */
function* unwrap(o: Json): Generator<Json> {
  for (const key of ["tickets", "users", "organizations", "groups"])
    if (Array.isArray(o[key])) {
      for (const r of o[key] as Json[]) yield { ...r, __kind: key.slice(0, -1) };
      return;
    }
  yield o;
}

const kindOf = (o: Json): ZendeskKind | null => (o.__kind as ZendeskKind | undefined) ?? zendeskKind(o);

/**
 * The files of a Zendesk export uploaded together (tickets with their comments, users,
 * organizations, optionally groups), read from the import's folder. Attachments are fetched from
 * the addresses the comments give.
 */
export function zendeskExportSource(dir: string, readAttachment: AttachmentReader): HelpdeskSource {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(json|ndjson|jsonl)$/i.test(f))
    .map((f) => path.join(dir, f));
  async function* all(kind: ZendeskKind): AsyncGenerator<Json> {
    for (const f of files) for await (const o of recordsOf(f)) if (kindOf(o) === kind) yield o;
  }
  let groupNames: Map<string, string> | null = null;
  const groups = async () => {
    if (!groupNames) {
      groupNames = new Map();
      for await (const g of all("group")) groupNames.set(String(g.id), String(g.name));
    }
    return groupNames;
  };
  async function* pages<T>(kind: ZendeskKind, convert: (o: Json) => T): AsyncGenerator<T[]> {
    let page: T[] = [];
    for await (const o of all(kind)) {
      page.push(convert(o));
      if (page.length >= PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }
  return {
    async survey(): Promise<SourceSurvey> {
      const names = await groups();
      const s: SourceSurvey = {
        tickets: 0,
        people: 0,
        agents: [],
        organizations: 0,
        statuses: [],
        priorities: [],
        groups: [],
        channels: [],
      };
      const seen = { statuses: new Set<string>(), priorities: new Set<string>(), groups: new Set<string>(), channels: new Set<string>() };
      for (const f of files)
        for await (const o of recordsOf(f)) {
          const kind = kindOf(o);
          if (kind === "ticket") {
            if (o.status === "deleted") continue;
            s.tickets++;
            if (o.status) seen.statuses.add(String(o.status));
            if (o.priority) seen.priorities.add(String(o.priority));
            if (o.group_id) seen.groups.add(names.get(String(o.group_id)) ?? String(o.group_id));
            const channel = (o.via as { channel?: string } | undefined)?.channel;
            if (channel) seen.channels.add(channel);
          } else if (kind === "user") {
            s.people++;
            if ((o.role === "agent" || o.role === "admin") && o.email)
              s.agents.push({ value: String(o.email).toLowerCase(), name: String(o.name ?? "") });
          } else if (kind === "organization") s.organizations++;
        }
      return {
        ...s,
        statuses: [...seen.statuses],
        priorities: [...seen.priorities],
        groups: [...seen.groups],
        channels: [...seen.channels],
      };
    },
    organizations: () => pages("organization", zendeskOrganization),
    people: () => pages("user", zendeskPerson),
    async *tickets(from: string | null): AsyncGenerator<TicketPage> {
      const names = await groups();
      // A file export has no cursor: a resumed import reads from the top and passes over what it already wrote.
      void from;
      for await (const page of pages("ticket", (o) => (o.status === "deleted" ? null : zendeskTicket(o, null, readAttachment)))) {
        const tickets = page.filter((t) => t !== null).map((t) => ({ ...t, group: t.group ? (names.get(t.group) ?? t.group) : null }));
        yield { tickets, cursor: null };
      }
    },
    async close() {},
  };
}
