import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG, multipart } from "../support/multipart";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let agent: Client;

beforeAll(async () => {
  t = await createTestApp({ LOOPDESK_MAX_UPLOAD_MB: "1" });
  agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
});
afterAll(() => t.close());

async function upload(client: Client, filename: string, content: Buffer, claimed?: string) {
  const { body, headers } = multipart(filename, content, claimed);
  return client.request("POST", "/api/v1/attachments", body, headers);
}

describe("attachments", () => {
  it("stores files by SHA-256 with the type sniffed from the bytes, and serves images inline but inert", async () => {
    const res = await upload(agent, "截图.png", PNG, "text/html");
    expect(res.statusCode).toBe(201);
    const meta = res.json();
    expect(meta).toMatchObject({ filename: "截图.png", contentType: "image/png", size: PNG.length });
    expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await upload(agent, "copy.png", PNG);
    expect(again.json().sha256).toBe(meta.sha256);
    const dl = await agent.get(meta.url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers["content-type"]).toBe("image/png");
    expect(dl.headers["x-content-type-options"]).toBe("nosniff");
    expect(dl.headers["content-security-policy"]).toContain("sandbox");
    expect(dl.rawPayload.equals(PNG)).toBe(true);
  });

  it("never serves HTML or SVG as active content, whatever the client claimed", async () => {
    for (const [name, content] of [
      ["evil.html", "<html><body><script>alert(document.cookie)</script></body></html>"],
      ["evil.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ]) {
      const res = await upload(agent, name, Buffer.from(content), "text/html");
      expect(res.statusCode).toBe(201);
      const dl = await agent.get(res.json().url);
      expect(["application/octet-stream", "text/plain; charset=utf-8"]).toContain(dl.headers["content-type"]);
      expect(dl.headers["content-type"]).not.toMatch(/html|svg/);
      if (dl.headers["content-type"] === "application/octet-stream") expect(dl.headers["content-disposition"]).toMatch(/^attachment;/);
      expect(dl.headers["content-security-policy"]).toContain("sandbox");
    }
  });

  it("refuses files over the size limit with 413", async () => {
    const res = await upload(agent, "big.bin", Buffer.alloc(1024 * 1024 + 10, 1));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });

  it("attaches uploads to a reply; customers see attachments of public replies only; others get 404", async () => {
    const customer = await t.factory.customer();
    const ticket = (await agent.post("/api/v1/tickets", { subject: "附件", customer: { email: customer.email } })).json();
    const pub = (await upload(agent, "public.txt", Buffer.from("公开附件"))).json();
    const internal = (await upload(agent, "internal.txt", Buffer.from("内部附件"))).json();
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "见附件", attachmentIds: [pub.id] })).statusCode).toBe(201);
    expect(
      (await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "内部", visibility: "internal", attachmentIds: [internal.id] }))
        .statusCode,
    ).toBe(201);
    const reuse = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "again", attachmentIds: [pub.id] });
    expect(reuse.statusCode).toBe(400);

    const asCustomer = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await asCustomer.get(pub.url)).statusCode).toBe(200);
    expect((await asCustomer.get(internal.url)).statusCode).toBe(404);
    const messages = (await asCustomer.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(messages[0].attachments.map((a: { id: number }) => a.id)).toEqual([pub.id]);

    const stranger = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");
    expect((await stranger.get(pub.url)).statusCode).toBe(404);
    const unlinked = (await upload(agent, "draft.txt", Buffer.from("草稿"))).json();
    const otherAgent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    expect((await otherAgent.get(unlinked.url)).statusCode).toBe(404);
    expect(
      (await otherAgent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "steal", attachmentIds: [unlinked.id] })).statusCode,
    ).toBe(400);
  });

  it("a customer's files sent with a new ticket are listed on that ticket; other customers get 404", async () => {
    const owner = await t.factory.customer();
    const client = await t.signIn(owner.email, PASSWORD, "customer");
    const file = (await upload(client, "铭牌.png", PNG)).json();
    const created = await client.post("/api/v1/tickets", { subject: "带附件", description: "见图", attachmentIds: [file.id] });
    expect(created.statusCode).toBe(201);
    const listed = await client.get(`/api/v1/tickets/${created.json().id}/attachments`);
    expect(listed.json().items).toEqual([expect.objectContaining({ id: file.id, filename: "铭牌.png", contentType: "image/png" })]);
    expect((await agent.get(`/api/v1/tickets/${created.json().id}/attachments`)).json().items).toHaveLength(1);
    const stranger = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");
    expect((await stranger.get(`/api/v1/tickets/${created.json().id}/attachments`)).statusCode).toBe(404);
  });
});
