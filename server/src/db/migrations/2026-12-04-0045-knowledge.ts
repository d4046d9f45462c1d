import { type Kysely, sql } from "kysely";

// 知识库: articles (internal or public) in categories, each with versions per language that go
// draft → review → published; their images and files; readers' "was this helpful"; agents' use of
// articles and similar solved tickets on tickets; help-center visits (for 自助解决); search synonyms.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table kb_categories (
  id integer generated always as identity primary key,
  name text not null,
  name_en text,
  description text not null default '',
  position integer not null default 0,
  created_at timestamptz not null default now()
)`.execute(db);
  await sql`
create table kb_articles (
  id integer generated always as identity primary key,
  category_id integer references kb_categories(id) on delete set null,
  visibility text not null default 'internal' check (visibility in ('internal', 'public')),
  owner_id integer references staff(id) on delete set null,
  review_by date,
  tags text[] not null default '{}',
  source_ticket_id integer references tickets(id) on delete set null,
  created_by integer references staff(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
)`.execute(db);
  await sql`
create table kb_article_versions (
  id integer generated always as identity primary key,
  article_id integer not null references kb_articles(id) on delete cascade,
  locale text not null check (locale in ('zh-CN', 'en')),
  number integer not null,
  status text not null check (status in ('draft', 'review', 'published', 'superseded')),
  title text not null,
  body_html text not null,
  body_text text not null,
  author_id integer references staff(id) on delete set null,
  reviewer_id integer references staff(id) on delete set null,
  review_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  published_at timestamptz,
  document tsvector,
  unique (article_id, locale, number)
)`.execute(db);
  await sql`create unique index kb_versions_one_open on kb_article_versions (article_id, locale) where status in ('draft', 'review')`.execute(
    db,
  );
  await sql`create unique index kb_versions_one_live on kb_article_versions (article_id, locale) where status = 'published'`.execute(db);
  await sql`create index kb_versions_document on kb_article_versions using gin (document) where status = 'published'`.execute(db);
  await sql`create index kb_versions_review on kb_article_versions (submitted_at) where status = 'review'`.execute(db);
  await sql`
create table kb_files (
  id integer generated always as identity primary key,
  article_id integer references kb_articles(id) on delete cascade,
  sha256 text not null,
  size integer not null,
  content_type text not null,
  filename text not null,
  uploader_id integer references staff(id) on delete set null,
  created_at timestamptz not null default now()
)`.execute(db);
  await sql`create index kb_files_article on kb_files (article_id)`.execute(db);
  await sql`
create table kb_feedback (
  id integer generated always as identity primary key,
  article_id integer not null references kb_articles(id) on delete cascade,
  helpful boolean not null,
  source text not null check (source in ('help', 'portal', 'widget')),
  created_at timestamptz not null default now()
)`.execute(db);
  await sql`create index kb_feedback_article on kb_feedback (article_id)`.execute(db);
  await sql`
create table kb_uses (
  id integer generated always as identity primary key,
  ticket_id integer not null references tickets(id) on delete cascade,
  staff_id integer references staff(id) on delete set null,
  article_id integer references kb_articles(id) on delete cascade,
  similar_ticket_id integer references tickets(id) on delete cascade,
  kind text not null check (kind in ('inserted', 'helpful', 'not_helpful')),
  created_at timestamptz not null default now(),
  check ((article_id is null) <> (similar_ticket_id is null))
)`.execute(db);
  await sql`create index kb_uses_article on kb_uses (article_id, kind) where article_id is not null`.execute(db);
  await sql`create index kb_uses_ticket on kb_uses (ticket_id)`.execute(db);
  await sql`
create table kb_help_visits (
  id text primary key,
  source text not null check (source in ('portal', 'widget')),
  article_id integer references kb_articles(id) on delete set null,
  query text not null default '',
  opened_at timestamptz not null default now(),
  ticket_id integer references tickets(id) on delete set null,
  submitted_at timestamptz
)`.execute(db);
  await sql`create index kb_help_visits_opened on kb_help_visits (opened_at)`.execute(db);
  await sql`
create table search_synonyms (
  id integer generated always as identity primary key,
  words text[] not null,
  created_at timestamptz not null default now()
)`.execute(db);
}
