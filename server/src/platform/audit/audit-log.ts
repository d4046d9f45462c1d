import type { AuditActorType } from "../../db/schema-security";
import type { Authentication } from "../auth/principal";
import type { Executor } from "../jobs/job-queue";

export type AuditActor = { type: AuditActorType; id?: number | null; name?: string | null };

/** One entry of the 审计日志: who did what to which object, from where, with the object before and after. */
export type AuditEntry = {
  action: string;
  /** When it happened, if not now (imported or demo history). */
  at?: Date;
  actor: AuditActor;
  ip?: string | null;
  outcome?: "ok" | "failed";
  target?: { type: string; id?: string | number | null; name?: string | null };
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
};

/** The caller of a request as the audit log names it: an API token is told apart from its owner's session. */
export function actorOf(auth: Authentication | undefined): AuditActor {
  if (!auth) return { type: "anonymous" };
  const p = auth.principal;
  if (p.kind === "customer") return { type: "customer", id: p.id, name: p.name };
  return { type: auth.via === "token" ? "token" : "staff", id: p.id, name: p.name };
}

export const SYSTEM: AuditActor = { type: "system", name: "Loopdesk" };

const SECRET_KEY = /(password|secret|token|api_?key|sealed|credential)/i;
export const REDACTED = "[redacted]";

/**
 * A copy with every secret-looking field replaced (passwords, secrets, keys, tokens — also their
 * hashes): the audit log says that a secret changed, never what it is.
 */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && v !== null && v !== "" ? REDACTED : redact(v),
      ]),
    );
  return value;
}

/** Marks the secrets that differ between before and after (both redacted) as changed. */
function markChangedSecrets(before: unknown, after: unknown): unknown {
  if (!before || !after || typeof before !== "object" || typeof after !== "object" || Array.isArray(after)) return redact(after);
  const b = before as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(after as Record<string, unknown>).map(([k, v]) => {
      if (!SECRET_KEY.test(k) || v === null || v === "") return [k, redact(v)];
      return [k, JSON.stringify(b[k]) === JSON.stringify(v) ? REDACTED : `${REDACTED} (changed)`];
    }),
  );
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** Appends an entry (the table refuses updates and early deletes). Secrets are redacted here, whatever the caller passes. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  const nameOf = (v: unknown) =>
    v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string" ? (v as { name: string }).name : null;
  await db
    .insertInto("audit_log")
    .values({
      ...(entry.at ? { at: entry.at } : {}),
      actor_type: entry.actor.type,
      actor_id: entry.actor.id ?? null,
      actor_name: entry.actor.name?.slice(0, 200) ?? null,
      ip: entry.ip ?? null,
      action: entry.action,
      outcome: entry.outcome ?? "ok",
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id === undefined || entry.target.id === null ? null : String(entry.target.id),
      target_name: (entry.target?.name ?? nameOf(entry.after) ?? nameOf(entry.before))?.slice(0, 300) ?? null,
      before: json(redact(entry.before)),
      after: json(markChangedSecrets(entry.before, entry.after)),
      detail: json(redact(entry.detail)),
    })
    .execute();
}
