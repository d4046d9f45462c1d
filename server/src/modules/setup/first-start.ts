import type { AppContext } from "../../platform/context";
import { hashPassword, randomPassword } from "../../platform/auth/passwords";
import { DEMO_PENDING, type DemoSize, seedDemo } from "./seed-demo";

/**
 * On the first start of an empty workspace: the administrator (from LOOPDESK_ADMIN_EMAIL /
 * LOOPDESK_ADMIN_PASSWORD, or a generated password printed once) and, unless LOOPDESK_DEMO=false,
 * the demo workspace. Runs once: a settings row marks the workspace initialized, and with it a
 * `demo.pending` row when the demo is wanted; the demo's own transaction removes that row, so a
 * process killed before the demo is seeded leaves the marker and the next start seeds it.
 */
export async function firstStart(ctx: AppContext, print: (line: string) => void = console.log, demoSize: DemoSize = {}) {
  const done = await ctx.db.selectFrom("settings").select("key").where("key", "=", "workspace.initialized").executeTakeFirst();
  if (done) return { created: false, demo: await resumeDemo(ctx, print, demoSize) };
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
    if (ctx.config.demo)
      await trx
        .insertInto("settings")
        .values({ key: DEMO_PENDING, value: JSON.stringify({ at: new Date().toISOString() }) })
        .execute();
  });
  if (!ctx.config.adminPassword) {
    print("");
    print("  Loopdesk administrator created (shown only this once):");
    print(`    email:    ${ctx.config.adminEmail}`);
    print(`    password: ${password}`);
    print("");
  }
  return { created: true, demo: await resumeDemo(ctx, print, demoSize) };
}

/** Seeds the demo the first start asked for, unless it is there already (or another process is seeding it). */
async function resumeDemo(ctx: AppContext, print: (line: string) => void, demoSize: DemoSize) {
  const pending = await ctx.db.selectFrom("settings").select("key").where("key", "=", DEMO_PENDING).executeTakeFirst();
  if (!pending) return null;
  const started = Date.now();
  const summary = await seedDemo(ctx, {
    ...demoSize,
    claimPending: true,
    progress: (step) => print(`  Seeding the demo: ${step}… (${Math.round((Date.now() - started) / 1000)} s)`),
  });
  if (summary)
    print(
      `  Demo workspace: ${summary.tickets} tickets, ${summary.customers} customers, ${summary.agents} agents (password for demo accounts: ${summary.password})`,
    );
  return summary;
}
