import type { AppContext } from "../../platform/context";
import { hashPassword, randomPassword } from "../../platform/auth/passwords";
import { seedDemo } from "./seed-demo";

/**
 * On the first start of an empty workspace: the administrator (from LOOPDESK_ADMIN_EMAIL /
 * LOOPDESK_ADMIN_PASSWORD, or a generated password printed once) and, unless LOOPDESK_DEMO=false,
 * the demo workspace. Runs once: a settings row marks the workspace initialized.
 */
export async function firstStart(ctx: AppContext, print: (line: string) => void = console.log) {
  const done = await ctx.db.selectFrom("settings").select("key").where("key", "=", "workspace.initialized").executeTakeFirst();
  if (done) return { created: false };
  const password = ctx.config.adminPassword ?? randomPassword();
  await ctx.db.transaction().execute(async (trx) => {
    const marked = await trx
      .insertInto("settings")
      .values({ key: "workspace.initialized", value: JSON.stringify({ at: new Date().toISOString() }) })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    if (!marked) return; // another process initialized it
    await trx
      .insertInto("staff")
      .values({ email: ctx.config.adminEmail, name: "管理员", role: "admin", password_hash: await hashPassword(password) })
      .onConflict((oc) => oc.column("email").doNothing())
      .execute();
  });
  if (!ctx.config.adminPassword) {
    print("");
    print("  Loopdesk administrator created (shown only this once):");
    print(`    email:    ${ctx.config.adminEmail}`);
    print(`    password: ${password}`);
    print("");
  }
  if (ctx.config.demo) {
    const summary = await seedDemo(ctx);
    print(
      `  Demo workspace: ${summary.tickets} tickets, ${summary.customers} customers, ${summary.agents} agents (password for demo accounts: ${summary.password})`,
    );
  }
  return { created: true };
}
