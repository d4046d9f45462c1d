import { type PGlite, parse, protocol } from "@electric-sql/pglite";
import pgUtils from "pg/lib/utils.js";
import { MARK } from "./prepared-statements";

const { serialize } = protocol;
type Value = string | Uint8Array | null;

/**
 * One statement with parameters on PGlite in a single protocol exchange: Parse (skipped for a
 * statement kept prepared), Bind, Describe, Execute and Sync sent together, the answer parsed once.
 * PGlite's own `query()` makes six exchanges per statement (it describes the statement first to
 * learn the parameters' types); here the parameters go as text of unknown type, as node-postgres
 * sends them to a PostgreSQL server (its own `prepareValue`), and the server infers their types —
 * so both engines see the same values. Statements marked `prepared` are parsed and planned once
 * per process under a name (PGlite is one connection for the process's life).
 */
export class PGliteStatements {
  private readonly named = new Map<string, string>();

  constructor(private readonly pg: PGlite) {}

  async run(text: string, parameters: readonly unknown[]) {
    const values: Value[] = parameters.map(toValue);
    const kept = text.includes(MARK);
    const known = kept ? this.named.get(text) : undefined;
    const name = kept ? (known ?? `ld_${this.named.size + 1}`) : undefined;
    const parseFirst = known === undefined;
    const parts = [
      ...(parseFirst ? [serialize.parse({ text, ...(name ? { name } : {}) })] : []),
      serialize.bind({ values, ...(name ? { statement: name } : {}) }),
      serialize.describe({ type: "P" }),
      serialize.execute({}),
      serialize.sync(),
    ];
    const { messages } = await this.pg.runExclusive(() => this.pg.execProtocol(concat(parts), { syncToFs: false, throwOnError: false }));
    // Named once its Parse succeeded, even when Bind or Execute then failed (the server holds it).
    if (name && parseFirst && messages.some((m) => m.name === "parseComplete")) this.named.set(text, name);
    const failed = messages.find((m) => m.name === "error");
    if (failed) throw failed;
    const [result] = parse.parseResults(messages, this.pg.parsers, { rowMode: "object" });
    return result;
  }
}

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  return pgUtils.prepareValue(v) as Value;
}

function concat(parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
