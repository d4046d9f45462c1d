import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/** Many people writing on one ticket at once: every note is taken, none refused for a deadlock. */
let t: TestApp;
let admin: Client;
let agents: Client[];

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  agents = [];
  for (let i = 0; i < 8; i++) agents.push(await t.signIn((await t.factory.staff()).email, PASSWORD));
});
afterAll(() => t.close());

describe("concurrent notes on one ticket", () => {
  it("takes 40 internal notes sent at once, each once", async () => {
    const customer = await t.factory.customer();
    const ticket = (await admin.post("/api/v1/tickets", { subject: "多人协作", description: "x", customer: { id: customer.id } })).json();
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (agents[i % agents.length] as Client).post(`/api/v1/tickets/${ticket.id}/messages`, {
            body: `备注 ${round}-${i}`,
            visibility: "internal",
          }),
        ),
      );
      expect(results.map((r) => r.statusCode).filter((c) => c !== 201)).toEqual([]);
    }
    const messages = (await admin.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items as { bodyText: string }[];
    expect(messages.filter((m) => m.bodyText.startsWith("备注 "))).toHaveLength(120);
  });
});
