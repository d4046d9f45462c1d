import { PASSWORD, type TestApp } from "./test-app";

/**
 * A new invoice request taken by phone for a customer the demo does not know (a demo customer's
 * repeat of their own open request would be held as a duplicate, never routed), as an admin enters
 * it; answers the creation's status and the ticket once its jobs ran.
 */
export async function newDemoRequest(t: TestApp, customer: { email: string; name: string }) {
  const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  const invoice = (await admin.get("/api/v1/categories")).json().items.find((c: { name: string }) => c.name === "发票");
  const created = await admin.post("/api/v1/tickets", { subject: "需要补开发票", categoryId: invoice.id, channel: "phone", customer });
  await t.ctx.jobs.drain();
  const ticket = created.statusCode === 201 ? (await admin.get(`/api/v1/tickets/${created.json().id}`)).json() : null;
  return { statusCode: created.statusCode, ticket };
}
