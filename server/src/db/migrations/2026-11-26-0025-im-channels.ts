import { type Kysely, sql } from "kysely";

// IM channels (WeCom, DingTalk, Feishu, a generic signed webhook): each with its platform
// credentials, and every message received (platform message id → ticket, who sent it) so a
// replayed callback changes nothing and agents' replies go back to the sender.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table im_channels (
  id integer generated always as identity primary key,
  kind text not null check (kind in ('wecom','dingtalk','feishu','webhook')),
  name text not null,
  active boolean not null default true,
  config jsonb not null default '{}',
  api_base text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table im_messages (
  channel_id integer not null references im_channels(id) on delete cascade,
  external_id text not null,
  ticket_id integer not null references tickets(id),
  sender_id text not null,
  received_at timestamptz not null default now(),
  primary key (channel_id, external_id)
);
create index im_messages_ticket_idx on im_messages (ticket_id, received_at desc);
`.execute(db);
}
