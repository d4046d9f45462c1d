import type { CrmLookupResult } from "@loopdesk/contracts/intake";
import type { Kysely } from "kysely";
import type { DB, TicketRow } from "../../../db/schema";
import { sha256Hex } from "../../../platform/auth/secrets";
import type { AppContext } from "../../../platform/context";
import { customerContact } from "../../customers/customer-service";
import { crmSettingsWithSecret } from "./crm-settings";

/** A value at a dotted path ("data.orders", "items[0].model"); undefined when absent. */
export function valueAt(data: unknown, path: string): unknown {
  if (path === "") return data;
  let cur: unknown = data;
  for (const part of path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const shown = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** The URL for this ticket: each {{placeholder}} replaced by its URL-encoded value (empty when unknown). */
export function lookupUrl(template: string, values: Record<string, string>) {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, key: string) => encodeURIComponent(values[key] ?? ""));
}

/**
 * Asks the company's CRM/ERP about a ticket's customer (or the order number in its fields) and
 * returns the records as the console's columns describe them, with the values that can fill
 * ticket fields. Answers are cached per URL; a slow or failing system gives an error message on
 * the card, never a failed ticket page.
 */
export async function crmLookup(
  ctx: AppContext,
  db: Kysely<DB>,
  ticket: TicketRow,
  opts: { refresh?: boolean } = {},
): Promise<CrmLookupResult> {
  const s = await crmSettingsWithSecret(db);
  const empty = { enabled: s.enabled, columns: s.columns, records: [], fetchedAt: null, cached: false, error: null };
  if (!s.enabled || !s.urlTemplate) return empty;
  const customer = await customerContact(db, ticket.customer_id);
  const phone = await db
    .selectFrom("customer_identities")
    .select("value")
    .where("customer_id", "=", ticket.customer_id)
    .where("kind", "=", "phone")
    .orderBy("id")
    .executeTakeFirst();
  const values: Record<string, string> = {
    "customer.email": customer.email ?? "",
    "customer.phone": phone?.value ?? "",
    "customer.name": customer.name,
    "ticket.number": String(ticket.number),
    ...Object.fromEntries(Object.entries(ticket.custom_fields).map(([k, v]) => [`fields.${k}`, shown(v)])),
  };
  const url = lookupUrl(s.urlTemplate, values);
  const hash = sha256Hex(url);
  let raw: Record<string, unknown>[] | null = null;
  let fetchedAt: Date | null = null;
  let cached = false;
  if (!opts.refresh && s.cacheMinutes > 0) {
    const hit = await db.selectFrom("crm_lookup_cache").selectAll().where("url_hash", "=", hash).executeTakeFirst();
    if (hit && Date.now() - hit.fetched_at.getTime() < s.cacheMinutes * 60_000) {
      raw = hit.records;
      fetchedAt = hit.fetched_at;
      cached = true;
    }
  }
  if (!raw) {
    try {
      const res = await fetch(url, {
        headers: {
          accept: "application/json",
          ...(s.authHeaderName && s.authHeaderValue ? { [s.authHeaderName]: s.authHeaderValue } : {}),
        },
        signal: AbortSignal.timeout(s.timeoutMs),
        redirect: "error",
      });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      const list = valueAt(await res.json(), s.recordsPath);
      raw = (Array.isArray(list) ? list : list && typeof list === "object" ? [list] : []).slice(0, 50) as Record<string, unknown>[];
      fetchedAt = new Date();
      await db
        .insertInto("crm_lookup_cache")
        .values({ url_hash: hash, records: JSON.stringify(raw), fetched_at: fetchedAt })
        .onConflict((oc) => oc.column("url_hash").doUpdateSet({ records: JSON.stringify(raw), fetched_at: fetchedAt as Date }))
        .execute();
    } catch (err) {
      // The message names what failed, never the URL (it may carry the customer's contacts) nor the header.
      const reason = err instanceof Error && err.name === "TimeoutError" ? "timed out" : (err as Error).message;
      ctx.logger.warn({ ticketId: ticket.id, reason }, "CRM lookup failed");
      return { ...empty, error: reason };
    }
  }
  return {
    enabled: true,
    columns: s.columns,
    records: raw.map((r) => ({
      values: s.columns.map((c) => shown(valueAt(r, c.path))),
      fill: Object.fromEntries(
        s.fill.map((f) => [f.field, valueAt(r, f.path)]).filter(([, v]) => v !== undefined && v !== null && v !== ""),
      ),
    })),
    fetchedAt: fetchedAt?.toISOString() ?? null,
    cached,
    error: null,
  };
}
