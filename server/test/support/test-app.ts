import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp, createContext } from "../../src/app";
import { loadConfig } from "../../src/config";
import { watchPrincipals } from "../../src/platform/auth/principal-cache";
import { watchRoutingDirectory } from "../../src/modules/routing/routing-directory";
import type { Database } from "../../src/db/database";
import type { AppContext } from "../../src/platform/context";
import { hashPassword } from "../../src/platform/auth/passwords";
import { createLogger } from "../../src/platform/logger";
import { openTestDatabase } from "./test-db";

export type TestApp = {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  close: () => Promise<void>;
  /** A signed-in client (cookie session + CSRF header), or a bearer-token client. */
  signIn: (email: string, password: string, as?: "staff" | "customer") => Promise<Client>;
  withToken: (token: string) => Client;
  anonymous: Client;
  factory: Factory;
};

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
export type Client = {
  request: (method: Method, url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  patch: (url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  delete: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  csrfToken?: string;
  cookie?: string;
};

export const PASSWORD = "correct-horse-9";

/** Tests send requests far faster than people do: rate limits are off unless a test is about them. */
export const NO_RATE_LIMITS = {
  LOOPDESK_RATE_LIMIT_PER_MINUTE: "0",
  LOOPDESK_RATE_LIMIT_PUBLIC_PER_MINUTE: "0",
  LOOPDESK_RATE_LIMIT_SIGN_IN_PER_MINUTE: "0",
};

/** A test app with an admin signed in: `beforeAll(async () => ({ t, admin } = await appWithAdmin()))`. */
export async function appWithAdmin(overrides: Record<string, string> = {}): Promise<{ t: TestApp; admin: Client }> {
  const t = await createTestApp(overrides);
  return { t, admin: await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD) };
}

export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-test-"));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", LOOPDESK_DEMO: "false", ...NO_RATE_LIMITS, ...overrides });
  const database = await openTestDatabase();
  const ctx = createContext(config, database, createLogger(config.logLevel));
  const app = await buildApp(ctx);
  await app.ready();
  const stopWatching = await watchRoutingDirectory(database, ctx.db);
  // Who a token or session stands for is kept per process too: dropped when staff or tokens change.
  const stopWatchingPrincipals = await watchPrincipals(database, ctx.db);

  const makeClient = (base: Record<string, string>, csrfToken?: string): Client => {
    const request: Client["request"] = (method, url, body, headers = {}) => {
      const opts: InjectOptions = { method, url, headers: { ...base, ...headers } };
      if (body !== undefined) {
        if (typeof body === "string" || Buffer.isBuffer(body)) opts.payload = body;
        else opts.payload = body as InjectOptions["payload"];
      }
      return app.inject(opts);
    };
    return {
      request,
      csrfToken,
      cookie: base.cookie,
      get: (url, h) => request("GET", url, undefined, h),
      post: (url, b, h) => request("POST", url, b ?? {}, h),
      patch: (url, b, h) => request("PATCH", url, b ?? {}, h),
      delete: (url, h) => request("DELETE", url, undefined, h),
    };
  };

  const signIn: TestApp["signIn"] = async (email, password, as = "staff") => {
    const res = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password, as } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === "loopdesk_session");
    const csrfToken = res.json().csrfToken as string;
    return makeClient({ cookie: `loopdesk_session=${cookie?.value}`, "x-csrf-token": csrfToken }, csrfToken);
  };

  return {
    app,
    ctx,
    database,
    signIn,
    withToken: (token) => makeClient({ authorization: `Bearer ${token}` }),
    anonymous: makeClient({}),
    factory: new Factory(ctx),
    close: async () => {
      await app.close();
      await ctx.jobs.stop();
      await stopWatching();
      await stopWatchingPrincipals();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

/** Builds records directly in the database for test set-up (the API is what tests exercise). */
export class Factory {
  private passwordHash?: string;
  constructor(private readonly ctx: AppContext) {}

  private async hash() {
    this.passwordHash ??= await hashPassword(PASSWORD);
    return this.passwordHash;
  }

  async department(name = `部门-${unique()}`, parentId: number | null = null) {
    return this.ctx.db.insertInto("departments").values({ name, parent_id: parentId }).returning(["id", "name"]).executeTakeFirstOrThrow();
  }

  async staff(opts: { role?: "admin" | "supervisor" | "agent"; departmentIds?: number[]; email?: string; name?: string } = {}) {
    const email = opts.email ?? `staff-${unique()}@test.local`;
    const row = await this.ctx.db
      .insertInto("staff")
      .values({ email, name: opts.name ?? `员工 ${unique()}`, role: opts.role ?? "agent", password_hash: await this.hash() })
      .returning(["id", "email", "name", "role"])
      .executeTakeFirstOrThrow();
    for (const d of opts.departmentIds ?? [])
      await this.ctx.db.insertInto("staff_departments").values({ staff_id: row.id, department_id: d }).execute();
    return row;
  }

  async customer(
    opts: { email?: string; name?: string; organizationId?: number | null; isOrgContact?: boolean; withPassword?: boolean } = {},
  ) {
    const email = opts.email ?? `customer-${unique()}@test.local`;
    const row = await this.ctx.db
      .insertInto("customers")
      .values({
        name: opts.name ?? `客户 ${unique()}`,
        organization_id: opts.organizationId ?? null,
        is_org_contact: opts.isOrgContact ?? false,
        password_hash: opts.withPassword === false ? null : await this.hash(),
        custom_fields: "{}",
      })
      .returning(["id", "name"])
      .executeTakeFirstOrThrow();
    await this.ctx.db.insertInto("customer_identities").values({ customer_id: row.id, kind: "email", value: email }).execute();
    return { ...row, email };
  }

  async organization(name = `企业 ${unique()}`) {
    return this.ctx.db
      .insertInto("organizations")
      .values({ name, custom_fields: "{}" })
      .returning(["id", "name"])
      .executeTakeFirstOrThrow();
  }
}
