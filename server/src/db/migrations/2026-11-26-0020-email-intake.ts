import { type Kysely, sql } from "kysely";

// Email intake: mailboxes (addresses we receive on, optionally an IMAP account to poll), a log of
// every inbound mail with what became of it, and every Message-ID we know (in or out) with its
// ticket, so replies thread and the same message never opens two tickets.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table mailboxes (
  id integer generated always as identity primary key,
  name text not null,
  address text not null unique,
  active boolean not null default true,
  department_id integer references departments(id) on delete set null,
  category_id integer references categories(id) on delete set null,
  imap_host text,
  imap_port integer,
  imap_secure boolean not null default true,
  imap_user text,
  imap_password text,
  imap_folder text not null default 'INBOX',
  imap_uid_validity bigint,
  imap_last_uid bigint not null default 0,
  last_polled_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table inbound_emails (
  id bigint generated always as identity primary key,
  mailbox_id integer references mailboxes(id) on delete set null,
  source text not null check (source in ('smtp','imap')),
  message_id text,
  from_address text,
  subject text,
  size integer not null,
  outcome text not null check (outcome in ('created','appended','duplicate','ignored','quarantined')),
  reason text,
  ticket_id integer references tickets(id),
  raw_sha256 text,
  received_at timestamptz not null default now()
);
create index inbound_emails_received_idx on inbound_emails (received_at desc, id desc);
create index inbound_emails_sender_idx on inbound_emails (from_address, received_at desc);

create table email_threads (
  message_id text primary key,
  ticket_id integer not null references tickets(id),
  mailbox_id integer references mailboxes(id) on delete set null,
  direction text not null check (direction in ('in','out')),
  created_at timestamptz not null default now()
);
create index email_threads_ticket_idx on email_threads (ticket_id, created_at desc);
`.execute(db);
}
