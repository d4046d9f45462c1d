import { forgetPrincipals } from "../../platform/auth/principal-cache";
import type { TokenScope } from "@loopdesk/contracts/auth";
import { type Kysely, type Selectable, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { ApiTokensTable } from "../../db/schema-auth";
import { randomToken, sha256Hex } from "../../platform/auth/secrets";
import { NotFoundError } from "../../platform/errors";
import { TOKEN_PREFIX } from "./session-service";

const present = (r: Selectable<ApiTokensTable>) => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes as TokenScope[],
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** Creates a token for a staff member; the secret is returned this once and stored only hashed. */
export async function createApiToken(db: Kysely<DB>, staffId: number, input: { name: string; expiresAt?: string; scopes?: TokenScope[] }) {
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  const row = await db
    .insertInto("api_tokens")
    .values({
      staff_id: staffId,
      name: input.name,
      prefix: token.slice(0, 10),
      token_hash: sha256Hex(token),
      scopes: sql`${[...new Set(input.scopes ?? ["tickets:read", "tickets:write"])]}::text[]`,
      expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...present(row), token };
}

export async function listApiTokens(db: Kysely<DB>, staffId: number) {
  return (await db.selectFrom("api_tokens").selectAll().where("staff_id", "=", staffId).orderBy("id", "desc").execute()).map(present);
}

export async function revokeApiToken(db: Kysely<DB>, staffId: number, id: number) {
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: new Date() })
    .where("id", "=", id)
    .where("staff_id", "=", staffId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!res.numUpdatedRows) throw NotFoundError("API token");
  forgetPrincipals(db);
}
