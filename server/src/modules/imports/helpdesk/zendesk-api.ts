import { setTimeout as sleep } from "node:timers/promises";
import type { HelpdeskSource, SourceSurvey, TicketPage } from "./foreign";
import { zendeskOrganization, zendeskPerson, zendeskTicket } from "./zendesk-records";
import { isLoopbackUrl } from "../../../platform/http/loopback";

type Json = Record<string, unknown>;

/** A source that answered with an error the import cannot get past (bad credentials, no access, not Zendesk). */
export class SourceError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Largest attachment brought over (Zendesk's own limit is 50 MB). */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/** A helpdesk address: https, or http only on this machine. */
export function sourceUrl(raw: string) {
  let url: URL;
  try {
    url = new URL(raw.includes("://") ? raw : `https://${raw}`);
  } catch {
    throw new SourceError("bad_url", `Not an address: ${raw}`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(url)))
    throw new SourceError("bad_url", "The address must use https.");
  return new URL(url.origin);
}

type Credentials = { url: string; email: string; token: string };

/**
 * Zendesk's Support API, read with an API token (basic auth `{email}/token:{token}`): the
 * incremental exports for organizations (time-based), users and tickets (cursor-based), each
 * ticket's comments, groups and agents for the mapping. Waits as told on 429 (Retry-After),
 * retries a 5xx three times, and sends the credential only to the account's own address.
 */
export function zendeskApiSource(
  creds: Credentials,
): HelpdeskSource & { get: (path: string) => Promise<Json>; readAttachment: (url: string) => Promise<Buffer> } {
  const base = sourceUrl(creds.url);
  const auth = `Basic ${Buffer.from(`${creds.email}/token:${creds.token}`).toString("base64")}`;
  const sameAccount = (u: URL) => u.origin === base.origin;

  async function request(target: string, binary: false): Promise<Json>;
  async function request(target: string, binary: true): Promise<Buffer>;
  async function request(target: string, binary: boolean): Promise<Json | Buffer> {
    const url = new URL(target, base);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: binary ? "*/*" : "application/json", ...(sameAccount(url) ? { authorization: auth } : {}) },
          signal: AbortSignal.timeout(60_000),
        });
      } catch (e) {
        if (attempt < 4) {
          await sleep(500 * 2 ** attempt);
          continue;
        }
        throw new SourceError("unreachable", `${url.origin} did not answer: ${(e as Error).message}`);
      }
      if (res.status === 429 && attempt < 20) {
        const wait = Math.min(Number(res.headers.get("retry-after")) || 10, 120);
        await res.body?.cancel();
        await sleep(wait * 1000);
        continue;
      }
      if (res.status >= 500 && attempt < 4) {
        await res.body?.cancel();
        await sleep(500 * 2 ** attempt);
        continue;
      }
      if (res.status === 401) throw new SourceError("unauthorized", "Zendesk refused the email and API token.");
      if (res.status === 403) throw new SourceError("forbidden", "This Zendesk user may not read the data (an admin's token is needed).");
      if (!res.ok) throw new SourceError("http_error", `Zendesk answered ${res.status} to ${url.pathname}.`);
      if (binary) {
        const size = Number(res.headers.get("content-length") ?? 0);
        if (size > MAX_ATTACHMENT_BYTES) {
          await res.body?.cancel();
          throw new SourceError("too_large", `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
        }
        const data = Buffer.from(await res.arrayBuffer());
        if (data.length > MAX_ATTACHMENT_BYTES) throw new SourceError("too_large", `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
        return data;
      }
      const body = (await res.json().catch(() => null)) as Json | null;
      if (!body || typeof body !== "object") throw new SourceError("not_zendesk", `${url.pathname} did not answer with JSON.`);
      return body;
    }
  }
  const get = (p: string) => request(p, false);

  /** Follows a list's next page (only within the account: a foreign next link is not followed with the token). */
  const nextOf = (body: Json, endOfStream: boolean) => {
    const next = (body.after_url ?? body.next_page ?? (body.links as Json | undefined)?.next) as string | null | undefined;
    if (endOfStream || !next) return null;
    return sameAccount(new URL(next, base)) ? next : null;
  };
  async function* list(first: string, key: string): AsyncGenerator<Json[]> {
    let next: string | null = first;
    while (next) {
      const body = await get(next);
      yield (body[key] as Json[] | undefined) ?? [];
      // The incremental exports say when the stream ends; ordinary lists end without a next page.
      next = nextOf(body, body.end_of_stream === true || (Array.isArray(body[key]) && (body[key] as Json[]).length === 0));
    }
  }
  async function comments(ticketId: string) {
    const out: Json[] = [];
    for await (const page of list(`/api/v2/tickets/${encodeURIComponent(ticketId)}/comments.json`, "comments")) out.push(...page);
    return out;
  }
  let groupNames: Map<string, string> | null = null;
  async function groups() {
    if (!groupNames) {
      groupNames = new Map();
      for await (const page of list("/api/v2/groups.json", "groups")) for (const g of page) groupNames.set(String(g.id), String(g.name));
    }
    return groupNames;
  }
  const countOf = async (p: string) => Number(((await get(p)).count as { value?: number } | undefined)?.value ?? 0);
  const readAttachment = (url: string) => request(url, true);

  return {
    get,
    readAttachment,
    async survey(): Promise<SourceSurvey> {
      const [tickets, people, organizations, names] = await Promise.all([
        countOf("/api/v2/tickets/count.json"),
        countOf("/api/v2/users/count.json"),
        countOf("/api/v2/organizations/count.json"),
        groups(),
      ]);
      const agents: SourceSurvey["agents"] = [];
      for await (const page of list("/api/v2/users.json?role[]=agent&role[]=admin", "users"))
        for (const u of page) if (u.email) agents.push({ value: String(u.email).toLowerCase(), name: String(u.name ?? "") });
      return {
        tickets,
        people,
        organizations,
        agents,
        statuses: ["new", "open", "pending", "hold", "solved", "closed"],
        priorities: ["low", "normal", "high", "urgent"],
        groups: [...names.values()],
        channels: [],
      };
    },
    async *organizations() {
      for await (const page of list("/api/v2/incremental/organizations.json?start_time=0", "organizations"))
        yield page.filter((o) => !o.deleted_at).map(zendeskOrganization);
    },
    async *people() {
      for await (const page of list("/api/v2/incremental/users/cursor.json?start_time=0", "users"))
        yield page.filter((u) => u.active !== false || u.email).map(zendeskPerson);
    },
    async *tickets(from: string | null): AsyncGenerator<TicketPage> {
      const names = await groups();
      let next: string | null = from ?? "/api/v2/incremental/tickets/cursor.json?start_time=0";
      while (next) {
        const body = await get(next);
        const page = ((body.tickets as Json[] | undefined) ?? []).filter((t) => t.status !== "deleted");
        const tickets = [];
        for (const t of page) {
          const ticket = zendeskTicket(t, await comments(String(t.id)), readAttachment);
          tickets.push({ ...ticket, group: ticket.group ? (names.get(ticket.group) ?? ticket.group) : null });
        }
        next = nextOf(body, body.end_of_stream === true);
        yield { tickets, cursor: next };
      }
    },
    async close() {},
  };
}

/**
 * Reads an attachment address from an export: with the token when the export came with the
 * account's credentials and the address is the account's, else without.
 */
export function exportAttachmentReader(creds: Credentials | null) {
  const api = creds ? zendeskApiSource(creds) : zendeskApiSource({ url: "https://invalid.invalid", email: "", token: "" });
  return (raw: string): Promise<Buffer> => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return Promise.reject(new SourceError("bad_url", `Not an address: ${raw}`));
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(url)))
      return Promise.reject(new SourceError("bad_url", "The address must use https."));
    return api.readAttachment(url.href);
  };
}
