import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { eraseCustomer } from "../privacy/erase-customer";
import { exportCustomer } from "../privacy/export-customer";
import { PRIVACY_WORKING_DAYS, addWorkingDays, officialWorkingDays } from "../privacy/working-days";

const DAY = 86_400_000;

/**
 * 个人信息请求 in the demo: a copy sent three weeks ago, an erasure carried out last week (with
 * its verification report), an erasure waiting with most of its time left and an access request
 * due in a few working days; retention rules for consultations (2 years) and everything else (3);
 * single sign-on filled in (off) with its group mappings, the administrator as break-glass account.
 */
export async function seedDemoPrivacy(ctx: AppContext, db: Transaction<DB>, now: Date) {
  const admin = await db.selectFrom("staff").select("id").where("role", "=", "admin").orderBy("id").executeTakeFirst();
  // Customers with a ticket or two, signed in by email.
  const people = await db
    .selectFrom("customers")
    .innerJoin("tickets", "tickets.customer_id", "customers.id")
    .select(["customers.id"])
    .where("customers.merged_into_id", "is", null)
    .groupBy("customers.id")
    .having((eb) => eb.fn.countAll(), "<=", 2)
    .orderBy("customers.id")
    .limit(4)
    .execute();
  if (people.length < 4 || !admin) return;
  const days = await officialWorkingDays(db);
  const request = async (
    kind: "access" | "erasure",
    customerId: number,
    receivedDaysAgo: number,
    channel: "email" | "phone" | "portal",
    note: string,
  ) => {
    // At 10:30 in the workspace's day (UTC+8), never in the future.
    const midnight = Math.floor((now.getTime() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
    const received = new Date(Math.min(now.getTime(), midnight - receivedDaysAgo * DAY + 10.5 * 3_600_000));
    return db
      .insertInto("privacy_requests")
      .values({
        kind,
        customer_id: customerId,
        channel,
        note,
        received_at: received,
        due_at: addWorkingDays(days, received, PRIVACY_WORKING_DAYS, ctx.config.timeZone),
        created_by: admin.id,
        created_at: received,
        updated_at: received,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  };
  const [copied, erased, waiting, dueSoon] = people.map((p) => p.id) as [number, number, number, number];

  const sent = await request("access", copied, 24, "email", "客户来信要求提供其个人信息副本，已核实身份（手机号后四位与订单号）。");
  const zip = await exportCustomer(db, ctx.files, copied);
  const stored = await ctx.files.put(Buffer.from(zip));
  await db
    .updateTable("privacy_requests")
    .set({
      status: "done",
      archive_sha256: stored.sha256,
      archive_size: stored.size,
      completed_by: admin.id,
      completed_at: new Date(now.getTime() - 20 * DAY),
    })
    .where("id", "=", sent.id)
    .execute();

  const erasure = await request("erasure", erased, 9, "portal", "客户注销账号并要求删除个人信息，无未完成的订单与争议。");
  const { report } = await eraseCustomer(db, erased);
  await db
    .updateTable("privacy_requests")
    .set({
      status: "done",
      completed_by: admin.id,
      completed_at: new Date(now.getTime() - 6 * DAY),
      report: JSON.stringify({ ...report, filesRemoved: 0, verification: { ...report.verification, filesSearched: 0 } }),
    })
    .where("id", "=", erasure.id)
    .execute();

  await request("erasure", waiting, 2, "email", "客户要求删除其在售后工单中留下的地址和电话。");
  await request("access", dueSoon, 17, "phone", "客户来电要求查阅我们保存的通话记录与工单。");

  // Single sign-on prepared but off: the company's identity provider is not reachable from a demo.
  const departments = await db.selectFrom("departments").select(["id", "name"]).orderBy("id").limit(2).execute();
  await db
    .updateTable("sso_settings")
    .set({
      oidc_name: "企业微信",
      oidc_issuer: "https://login.example-corp.cn",
      oidc_client_id: "loopdesk-helpdesk",
      ldap_url: "ldaps://dc1.example-corp.cn",
      ldap_base_dn: "ou=员工,dc=example-corp,dc=cn",
      ldap_group_base_dn: "ou=groups,dc=example-corp,dc=cn",
      group_mappings: JSON.stringify([
        { group: "客服一线", role: "agent", departmentIds: departments.slice(0, 1).map((d) => d.id) },
        { group: "客服主管", role: "supervisor", departmentIds: departments.map((d) => d.id) },
        { group: "IT-系统管理员", role: "admin", departmentIds: [] },
      ]),
    })
    .where("id", "=", 1)
    .execute();
  await db.updateTable("staff").set({ break_glass: true }).where("id", "=", admin.id).execute();

  const consult = await db.selectFrom("categories").select("id").where("name", "like", "%咨询%").executeTakeFirst();
  await db
    .insertInto("retention_rules")
    .values([...(consult ? [{ category_id: consult.id, months: 24 }] : []), { category_id: null, months: 36 }])
    .execute();
}
