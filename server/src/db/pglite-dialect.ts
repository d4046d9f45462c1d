import type { PGlite } from "@electric-sql/pglite";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from "kysely";
import { PGliteStatements } from "./pglite-statement";

/**
 * Kysely dialect for embedded PGlite. PGlite has a single connection, so a connection is
 * handed out to one user at a time (a FIFO lock): a transaction never interleaves with
 * another request's statements.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteConnection implements DatabaseConnection {
  private readonly statements: PGliteStatements;
  constructor(pg: PGlite) {
    this.statements = new PGliteStatements(pg);
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (query.parameters.length === 0 && query.query.kind === "RawNode") {
      // Simple-query protocol: raw text may be a multi-statement script (migrations); a statement
      // Kysely built is one statement, kept prepared like those with parameters.
      const results = await this.statements.exec(query.sql);
      const last = results[results.length - 1];
      return {
        rows: (last?.rows ?? []) as R[],
        numAffectedRows: last?.affectedRows !== undefined ? BigInt(last.affectedRows) : undefined,
      };
    }
    const res = await this.statements.run(query.sql, query.parameters);
    return {
      rows: (res?.rows ?? []) as R[],
      numAffectedRows: res?.affectedRows !== undefined ? BigInt(res.affectedRows) : undefined,
    };
  }
  begin() {
    this.statements.begin();
  }
  end(command: "commit" | "rollback") {
    return this.statements.end(command);
  }
  // biome-ignore lint/correctness/useYield: streaming is not supported by PGlite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streamQuery is not supported on PGlite");
  }
}

class PGliteDriver implements Driver {
  private tail: Promise<void> = Promise.resolve();
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();
  private readonly connection: PGliteConnection;
  constructor(private readonly pg: PGlite) {
    this.connection = new PGliteConnection(pg);
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    // One connection object per holder so release cannot be called twice by mistake.
    const holder: DatabaseConnection = {
      executeQuery: (q) => this.connection.executeQuery(q),
      streamQuery: () => this.connection.streamQuery(),
    };
    this.releases.set(holder, release);
    return holder;
  }
  // The holder calling these has the one connection (acquireConnection's lock).
  async beginTransaction() {
    this.connection.begin();
  }
  async commitTransaction() {
    await this.connection.end("commit");
  }
  async rollbackTransaction() {
    await this.connection.end("rollback");
  }
  async releaseConnection(conn: DatabaseConnection) {
    this.releases.get(conn)?.();
    this.releases.delete(conn);
  }
  async destroy() {
    await this.tail;
    if (!this.pg.closed) await this.pg.close();
  }
}
