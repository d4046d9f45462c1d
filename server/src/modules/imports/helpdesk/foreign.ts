/**
 * Another helpdesk's records, read from its export, API or database and brought into one shape
 * before they are written here. Ids are theirs (strings); times are instants.
 */

export type ForeignOrganization = { externalId: string; name: string; domain: string | null };

export type ForeignPerson = {
  externalId: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** Their agents and admins are staff (matched to people here by email); everyone else a customer. */
  role: "customer" | "staff";
  organizationId: string | null;
};

export type ForeignAttachment = {
  externalId: string;
  fileName: string;
  size: number | null;
  /** Reads the bytes (from the source's API, database or an address in the export). */
  read: () => Promise<Buffer>;
};

export type ForeignComment = {
  externalId: string;
  authorId: string | null;
  /** The author's name as the source shows it (used when they are not a person here). */
  authorName: string | null;
  public: boolean;
  text: string;
  html: string | null;
  createdAt: Date;
  attachments: ForeignAttachment[];
};

export type ForeignTicket = {
  externalId: string;
  /** Their number, shown beside ours (e.g. Zendesk #1234, osTicket 482913). */
  number: string;
  subject: string;
  /** Their words: mapped by the import's value map to ours. */
  status: string;
  /** Whether the source counts the status as open or closed (for a status word nobody mapped). */
  state?: "open" | "closed";
  priority: string | null;
  channel: string | null;
  group: string | null;
  assigneeId: string | null;
  requesterId: string | null;
  organizationId: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  solvedAt: Date | null;
  closedAt: Date | null;
  /** In order; the first is the request itself. */
  comments: ForeignComment[];
};

/** Counts and vocabularies of a source, found before the import starts (shown for mapping). */
export type SourceSurvey = {
  tickets: number;
  people: number;
  agents: { value: string; name: string }[];
  organizations: number;
  statuses: string[];
  priorities: string[];
  groups: string[];
  channels: string[];
};

/** One of a source's tickets with where a resumed import may continue after it. */
export type TicketPage = { tickets: ForeignTicket[]; cursor: string | null };

export interface HelpdeskSource {
  survey(): Promise<SourceSurvey>;
  organizations(): AsyncIterable<ForeignOrganization[]>;
  people(): AsyncIterable<ForeignPerson[]>;
  /** Tickets in pages, from a cursor an earlier run committed (null: from the start). */
  tickets(from: string | null): AsyncIterable<TicketPage>;
  close(): Promise<void>;
}

/** Their status words to ours, for the words the sources document. */
export const KNOWN_STATUSES: Record<string, string> = {
  new: "new",
  open: "open",
  pending: "pending",
  hold: "on_hold",
  solved: "solved",
  closed: "closed",
  // osTicket's default statuses
  Open: "open",
  Resolved: "solved",
  Closed: "closed",
  Archived: "closed",
};
export const KNOWN_PRIORITIES: Record<string, string> = {
  low: "low",
  normal: "normal",
  high: "high",
  urgent: "urgent",
  emergency: "urgent",
  Low: "low",
  Normal: "normal",
  High: "high",
  Emergency: "urgent",
};
export const KNOWN_CHANNELS: Record<string, string> = {
  email: "email",
  web: "portal",
  web_form: "portal",
  api: "api",
  voice: "phone",
  phone: "phone",
  chat: "widget",
  native_messaging: "widget",
  messaging: "widget",
  mobile_sdk: "widget",
  Web: "portal",
  Email: "email",
  Phone: "phone",
  API: "api",
  Other: "api",
};
