import type { ColumnType } from "kysely";

/** Column types shared by the Kysely table types (schema*.ts): how each kind of column is read, inserted and updated. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A jsonb column: read as its value, written as JSON text. */
export type Json<T = unknown> = ColumnType<T, string | undefined, string>;
