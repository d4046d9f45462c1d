import type { ColumnType, Generated } from "kysely";
import type { Timestamp, Json } from "./column-types";

/** Kysely table types of the knowledge side (migration 0043 onwards); part of `DB`. */

/** Per category the model knows: how many examples it learned from and how many held-out ones it got right. */
export type ClassifierCategoryStats = { categoryId: number; examples: number; heldOut: number; correct: number };

export interface ClassifierModelsTable {
  id: Generated<number>;
  created_at: Generated<Date>;
  examples: number;
  held_out: number;
  top1: number;
  top3: number;
  keyword_top1: number | null;
  training_ms: number;
  categories: Json<ClassifierCategoryStats[]>;
  model: Uint8Array;
}

export interface TicketCategorySuggestionsTable {
  ticket_id: number;
  category_id: number;
  confidence: number;
  applied: boolean;
  model_id: number | null;
  created_at: Timestamp;
}

export interface KbCategoriesTable {
  id: Generated<number>;
  name: string;
  name_en: string | null;
  description: Generated<string>;
  position: Generated<number>;
  created_at: Generated<Date>;
}

export type ArticleVisibility = "internal" | "public";
export type ArticleLocale = "zh-CN" | "en";
export type VersionStatus = "draft" | "review" | "published" | "superseded";

export interface KbArticlesTable {
  id: Generated<number>;
  category_id: number | null;
  visibility: Generated<ArticleVisibility>;
  owner_id: number | null;
  review_by: ColumnType<string | null, string | null | undefined, string | null>;
  tags: Generated<string[]>;
  source_ticket_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  archived_at: Date | null;
}

export interface KbArticleVersionsTable {
  id: Generated<number>;
  article_id: number;
  locale: ArticleLocale;
  number: number;
  status: VersionStatus;
  title: string;
  body_html: string;
  body_text: string;
  author_id: number | null;
  reviewer_id: number | null;
  review_note: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  submitted_at: Date | null;
  published_at: Date | null;
  document: unknown;
}

export interface KbFilesTable {
  id: Generated<number>;
  article_id: number | null;
  sha256: string;
  size: number;
  content_type: string;
  filename: string;
  uploader_id: number | null;
  created_at: Generated<Date>;
}

export interface KbFeedbackTable {
  id: Generated<number>;
  article_id: number;
  helpful: boolean;
  source: "help" | "portal" | "widget";
  created_at: Generated<Date>;
}

export interface KbUsesTable {
  id: Generated<number>;
  ticket_id: number;
  staff_id: number | null;
  article_id: number | null;
  similar_ticket_id: number | null;
  kind: "inserted" | "helpful" | "not_helpful";
  created_at: Generated<Date>;
}

export interface KbHelpVisitsTable {
  id: string;
  source: "portal" | "widget";
  article_id: number | null;
  query: Generated<string>;
  opened_at: Generated<Date>;
  ticket_id: number | null;
  submitted_at: Date | null;
}

export interface SearchSynonymsTable {
  id: Generated<number>;
  words: string[];
  created_at: Generated<Date>;
}

export interface AiSettingsTable {
  id: number;
  enabled: Generated<boolean>;
  base_url: Generated<string>;
  model: Generated<string>;
  api_key_sealed: string | null;
  timeout_seconds: Generated<number>;
  updated_at: Timestamp;
}

export type AiCallKind = "summary" | "reply" | "article";

export interface AiCallsTable {
  id: Generated<number>;
  staff_id: number | null;
  ticket_id: number | null;
  kind: AiCallKind;
  model: string;
  status: "ok" | "error" | "timeout";
  prompt_tokens: number | null;
  completion_tokens: number | null;
  latency_ms: number;
  error: string | null;
  created_at: Generated<Date>;
}
