import type { PGlite } from "@electric-sql/pglite";
import pgUtils from "pg/lib/utils.js";
import { serialize } from "pg-protocol";
import type {
  BackendMessage,
  CommandCompleteMessage,
  DataRowMessage,
  NotificationResponseMessage,
  RowDescriptionMessage,
} from "pg-protocol/dist/messages";
import { Parser } from "pg-protocol/dist/parser";
import { PLANNED_MARK } from "./prepared-statements";

/**
 * Messages are written by node-postgres's serializer (pg-protocol), as a PostgreSQL server receives
 * them from `pg`: PGlite's own measures each string's UTF-8 length in a JavaScript loop over its
 * characters, a creation batch's parameters (JSON, mostly Chinese) about 12 kB.
 */
type Value = string | Buffer | null;
type Message = BackendMessage;
type ValueParser = (value: string, typeId: number) => unknown;
/** A result column: its name and the parser of its type (none: the text as it came). */
type Column = { name: string; typeId: number; parse: ValueParser | undefined };
/** A statement kept prepared: its name and, once described, its result columns (none for a statement without rows). */
type Kept = { name: string; columns?: Column[] };
export type StatementResult = { rows: Record<string, unknown>[]; affectedRows: number };

/** How many statement texts are kept prepared at once (the least recently used one is closed). */
export const KEPT_STATEMENTS = 300;

/**
 * One statement with parameters on PGlite in a single protocol exchange: Parse (skipped for a
 * statement already prepared), Bind, Describe (only the first time: the result's columns are kept
 * with the statement), Execute and Sync sent together, the answer read once. PGlite's own
 * `query()` makes six exchanges per statement (it describes the statement first
 * to learn the parameters' types); here the parameters go as text of unknown type, as
 * node-postgres sends them to a PostgreSQL server (its own `prepareValue`), and the server infers
 * their types — so both engines see the same values.
 *
 * Every statement is kept prepared under a name (PGlite is one connection for the process's
 * life): parsed and analysed once, planned as PostgreSQL plans a prepared statement. That is
 * what node-postgres does only for statements marked `prepared`, since there each of many
 * connections would hold its own copy; here there is one, and the least recently used of
 * `KEPT_STATEMENTS` texts is closed when a new one comes.
 */
export class PGliteStatements {
  /** Statement text → what is kept of it, least recently used first. */
  private readonly named = new Map<string, Kept>();
  private closing: string[] = [];
  private counter = 0;
  /**
   * A transaction's `begin`, sent with its first statement's exchange rather than on its own: a
   * transaction costs PGlite one exchange fewer (PGlite's `exec` took two for a `begin`).
   */
  private beginPending = false;
  /**
   * How the session plans kept statements (PostgreSQL's plan_cache_mode), switched in the exchange
   * of a statement that needs the other mode: a statement marked planned with its values (searches,
   * lists: prepared-statements.ts) at every run, every other as PostgreSQL plans a prepared
   * statement — once for any values after its fifth run when that looks no costlier. Kept generic,
   * ranked search took 2.5 times as long and a phone number's last digits twice; planned every
   * time, the creation path's large statements (about 1 ms each to plan) made a creation cost
   * 2.5–2.9 ms of CPU instead of 1.4–1.6. Not known after a rollback (a SET in it is undone).
   */
  private planMode: "auto" | "force_custom_plan" | undefined = "auto";

  /** Every answer is whole (one exchange, read at once), so one parser serves them all. */
  private readonly parser = new Parser();

  constructor(private readonly pg: PGlite) {}

  /** Starts a transaction with the next statement (nothing is sent now). */
  begin() {
    this.beginPending = true;
  }

  /** Ends the transaction: `commit` or `rollback` in one exchange; nothing when no statement ran in it. */
  async end(command: "commit" | "rollback") {
    if (this.beginPending) {
      this.beginPending = false;
      return;
    }
    const messages = await this.send([serialize.query(command)]);
    const failed = messages.find((m) => m.name === "error");
    if (command === "rollback" || failed) this.planMode = undefined;
    if (failed) throw failed;
  }

  /** Raw text without parameters (simple-query protocol): a script's results, the pending `begin` first. */
  async exec(text: string) {
    if (this.beginPending) {
      this.beginPending = false;
      text = `begin;\n${text}`;
    }
    return this.pg.exec(text);
  }

  async run(text: string, parameters: readonly unknown[]): Promise<StatementResult | undefined> {
    const values: Value[] = parameters.map(toValue);
    const known = this.named.get(text);
    if (known) {
      this.named.delete(text); // most recently used last
      this.named.set(text, known);
    }
    const kept = known ?? { name: `ld_${++this.counter}` };
    const messages = await this.exchange(text, kept, known === undefined, values);
    const failed = messages.find((m) => m.name === "error") as (Message & { code?: string }) | undefined;
    if (failed?.code === "0A000" && known) {
      // "cached plan must not change result type": a table changed under a prepared `select *`.
      // Prepared (and described) again; run again when no transaction was aborted by the failure.
      this.forget(text);
      const ready = messages.at(-1) as Message & { status?: string }; // ReadyForQuery, with the transaction's state
      if (ready.name === "readyForQuery" && ready.status === "I") return this.run(text, parameters);
    }
    if (failed) throw failed;
    return this.read(messages, kept);
  }

  private async exchange(text: string, kept: Kept, parseFirst: boolean, values: Value[]) {
    const closing = this.closing;
    this.closing = [];
    const begin = this.beginPending;
    this.beginPending = false;
    const mode = text.includes(PLANNED_MARK) ? "force_custom_plan" : "auto";
    const switched = mode !== this.planMode;
    const parts = [
      ...(switched ? [serialize.query(`set plan_cache_mode = ${mode}`)] : []),
      ...(begin ? [serialize.query("begin")] : []),
      ...closing.map((old) => serialize.close({ type: "S", name: old })),
      ...(parseFirst ? [serialize.parse({ text, name: kept.name })] : []),
      serialize.bind({ values, statement: kept.name }),
      ...(kept.columns ? [] : [serialize.describe({ type: "P" })]),
      serialize.execute({}),
      serialize.sync(),
    ];
    const messages = await this.send(parts);
    this.planMode = messages.some((m) => m.name === "error") ? undefined : mode;
    // Kept once its Parse succeeded, even when Bind or Execute then failed (the server holds it).
    if (parseFirst && messages.some((m) => m.name === "parseComplete")) {
      this.named.set(text, kept);
      if (this.named.size > KEPT_STATEMENTS) this.forget(this.named.keys().next().value as string);
    }
    return messages;
  }

  /**
   * The statement's result: its rows as objects (values parsed as PGlite parses them) and the
   * count of rows an insert, update or delete touched. A `set` or `begin` sent first ends in its
   * own CommandComplete; the statement's is the last.
   */
  private read(messages: Message[], kept: Kept): StatementResult | undefined {
    let result: StatementResult | undefined;
    let rows: Record<string, unknown>[] = [];
    for (const m of messages) {
      if (m.name === "rowDescription") {
        kept.columns = (m as RowDescriptionMessage).fields.map((f) => ({
          name: f.name,
          typeId: f.dataTypeID,
          parse: this.pg.parsers[f.dataTypeID],
        }));
      } else if (m.name === "noData") {
        kept.columns = [];
      } else if (m.name === "dataRow") {
        const values = (m as DataRowMessage).fields;
        const columns = kept.columns ?? [];
        const row: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) {
          const c = columns[i] as Column;
          const v = values[i];
          row[c.name] = v === null || v === undefined ? null : c.parse ? c.parse(v, c.typeId) : v;
        }
        rows.push(row);
      } else if (m.name === "commandComplete") {
        const [command, ...rest] = (m as CommandCompleteMessage).text.split(" ");
        const counted = command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE" || command === "COPY";
        result = { rows, affectedRows: counted ? Number(rest.at(-1)) : 0 };
        rows = [];
      }
    }
    return result;
  }

  /**
   * One exchange; the answer's messages parsed by node-postgres's protocol parser, and the
   * notifications in it handed to the instance's listeners (see onNotification). PGlite's own
   * parser copies every field into a new buffer before decoding it: 16 ticket rows took it about
   * 1 ms to parse, pg-protocol 0.06–0.1 ms.
   */
  private async send(parts: Uint8Array[]): Promise<Message[]> {
    const chunks: Buffer[] = [];
    // Each chunk is a view of PGlite's memory, copied before the next is written there.
    const onRawData = (chunk: Uint8Array) => void chunks.push(Buffer.from(chunk));
    await this.pg.runExclusive(() => this.pg.execProtocolRawStream(concat(parts), { syncToFs: false, onRawData }));
    const messages: Message[] = [];
    this.parser.parse(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), (m) => messages.push(m));
    for (const m of messages) if (m.name === "notification") notify(this.pg, m as NotificationResponseMessage);
    return messages;
  }

  /** Closed with the next exchange (a Close in a failed transaction is still done). */
  private forget(text: string) {
    const kept = this.named.get(text);
    if (kept === undefined) return;
    this.named.delete(text);
    this.closing.push(kept.name);
  }
}

/** Listeners by channel, per PGlite instance, for the notifications that arrive in these exchanges. */
const listeners = new WeakMap<PGlite, Map<string, Set<(payload: string) => void>>>();

/**
 * Calls `onNotify` with each notification on `channel` that arrives in an exchange of
 * PGliteStatements. Notifications arriving in PGlite's own calls (`exec`, `listen`) reach the
 * listeners of `PGlite.listen`: register with both (database.ts) — a notification arrives in one
 * answer only, so it is delivered once. Returns the function that stops it.
 */
export function onNotification(pg: PGlite, channel: string, onNotify: (payload: string) => void) {
  const channels = listeners.get(pg) ?? new Map<string, Set<(payload: string) => void>>();
  listeners.set(pg, channels);
  const set = channels.get(channel) ?? new Set();
  channels.set(channel, set);
  set.add(onNotify);
  return () => void set.delete(onNotify);
}

function notify(pg: PGlite, m: NotificationResponseMessage) {
  for (const onNotify of listeners.get(pg)?.get(m.channel) ?? []) queueMicrotask(() => onNotify(m.payload));
}

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  // Bytes go as binary (pg-protocol knows them as Buffers; a Buffer over the same memory, not a copy).
  if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
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
