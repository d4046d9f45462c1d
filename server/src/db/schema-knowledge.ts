import type { ColumnType, Generated } from "kysely";

/** Kysely table types of the knowledge side (migration 0043 onwards); part of `DB`. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;

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
