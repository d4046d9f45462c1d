import type { ForeignAttachment, ForeignComment, ForeignOrganization, ForeignPerson, ForeignTicket } from "./foreign";

/**
 * Zendesk's JSON (as its API, its incremental exports and its full JSON export write it) in the
 * shape of ForeignTicket and its kin. Fields are documented in the Support API reference
 * (Tickets, Ticket Comments, Users, Organizations, Attachments).
 */

type Json = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const when = (v: unknown) => {
  const d = typeof v === "string" || typeof v === "number" ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};

export type ZendeskKind = "ticket" | "user" | "organization" | "group" | "comment";

/** Which record a JSON object is (an export line has no envelope to tell). */
export function zendeskKind(o: Json): ZendeskKind | null {
  if ("subject" in o && ("requester_id" in o || "comments" in o)) return "ticket";
  if ("author_id" in o && ("body" in o || "html_body" in o)) return "comment";
  if ("role" in o || ("email" in o && !("subject" in o))) return "user";
  if ("domain_names" in o || "organization_fields" in o || "shared_tickets" in o) return "organization";
  if ("is_public" in o && "name" in o && "default" in o) return "group";
  return null;
}

export const zendeskOrganization = (o: Json): ForeignOrganization => ({
  externalId: String(o.id),
  name: str(o.name) ?? String(o.id),
  domain: Array.isArray(o.domain_names) && o.domain_names.length ? String(o.domain_names[0]) : null,
});

export const zendeskPerson = (o: Json): ForeignPerson => ({
  externalId: String(o.id),
  name: str(o.name) ?? "",
  email: str(o.email),
  phone: str(o.phone),
  role: o.role === "agent" || o.role === "admin" ? "staff" : "customer",
  organizationId: str(o.organization_id),
});

export type AttachmentReader = (url: string) => Promise<Buffer>;

export function zendeskComment(c: Json, read: AttachmentReader): ForeignComment {
  const attachments = (Array.isArray(c.attachments) ? (c.attachments as Json[]) : []).map(
    (a): ForeignAttachment => ({
      externalId: String(a.id),
      fileName: str(a.file_name) ?? "file",
      size: typeof a.size === "number" ? a.size : null,
      read: () => read(String(a.content_url)),
    }),
  );
  return {
    externalId: String(c.id),
    authorId: str(c.author_id),
    authorName: null,
    public: c.public !== false,
    text: str(c.plain_body) ?? str(c.body) ?? "",
    html: str(c.html_body),
    createdAt: when(c.created_at) ?? new Date(0),
    attachments,
  };
}

/** A ticket with its comments (embedded in the full JSON export; fetched apart from the API). */
export function zendeskTicket(t: Json, comments: Json[] | null, read: AttachmentReader): ForeignTicket {
  const created = when(t.created_at) ?? new Date(0);
  const updated = when(t.updated_at) ?? created;
  const list = comments ?? (Array.isArray(t.comments) ? (t.comments as Json[]) : null);
  const converted = list
    ? list.map((c) => zendeskComment(c, read)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    : [
        // Without its comments (a ticket list), the description is the request.
        {
          externalId: `${t.id}-description`,
          authorId: str(t.requester_id),
          authorName: null,
          public: true,
          text: str(t.description) ?? "",
          html: null,
          createdAt: created,
          attachments: [],
        },
      ];
  const via = t.via as { channel?: string } | undefined;
  const status = str(t.status) ?? "open";
  return {
    externalId: String(t.id),
    number: String(t.id),
    subject: str(t.subject) ?? str(t.raw_subject) ?? "",
    status,
    priority: str(t.priority),
    channel: via?.channel ?? null,
    group: str(t.group_id),
    assigneeId: str(t.assignee_id),
    requesterId: str(t.requester_id),
    organizationId: str(t.organization_id),
    tags: Array.isArray(t.tags) ? t.tags.map(String) : [],
    createdAt: created,
    updatedAt: updated,
    // Zendesk keeps these times in ticket metrics; the last update is when a solved ticket was solved.
    solvedAt: null,
    closedAt: status === "closed" ? updated : null,
    comments: converted,
  };
}
