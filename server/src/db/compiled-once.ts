import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { DB } from "./schema";

const SLOT = Symbol("slot");
type Slot = { readonly [SLOT]: string };
const isSlot = (value: unknown): value is Slot => typeof value === "object" && value !== null && SLOT in value;

/** Where a statement compiled once takes a value at each run: `args[key]`. Typed as the value it stands for. */
export const slot = <T>(key: string): T => ({ [SLOT]: key }) as unknown as T;

/**
 * A statement Kysely builds and compiles once, then runs with each call's values in its slots: for
 * the statements every request or every new ticket runs, where building and compiling the query was
 * about 40% of a one-row lookup's time on the embedded engine. The statement's shape must not depend
 * on the values (a slot is one parameter: never a list for `in`), and every value that changes
 * between runs must be a slot — anything else is fixed at the first run.
 */
export function compiledOnce<Row>(build: (db: Kysely<DB>) => Compilable<Row>) {
  let compiled: CompiledQuery<Row> | undefined;
  const valueFor = (args: Record<string, unknown>, key: string) => {
    if (!(key in args)) throw new Error(`No value for the statement's slot "${key}".`);
    return args[key];
  };
  return async (db: Kysely<DB>, args: Record<string, unknown>): Promise<Row[]> => {
    compiled ??= build(db).compile();
    const parameters = compiled.parameters.map((p) => (isSlot(p) ? valueFor(args, p[SLOT]) : p));
    return (await db.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
