import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRIEVAL_ARTICLES, RETRIEVAL_QUERIES, RETRIEVAL_SYNONYMS, mrrAt5 } from "../support/retrieval-set";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/** Search ranking on a labelled set: customers' wordings against the articles that answer them. */
let t: TestApp;
let admin: Client;
const keyOf = new Map<number, string>();

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
  for (const a of RETRIEVAL_ARTICLES) {
    const created = (
      await agent.post("/api/v1/kb/articles", { title: a.title, bodyHtml: `<p>${a.body}</p>`, visibility: "public" })
    ).json();
    await admin.post(`/api/v1/kb/articles/${created.id}/review`, { locale: "zh-CN", action: "publish" });
    keyOf.set(created.id, a.key);
  }
});
afterAll(() => t.close());

async function rank() {
  const ranked: string[][] = [];
  for (const q of RETRIEVAL_QUERIES) {
    const items = (await t.anonymous.get(`/api/v1/help/search?limit=5&q=${encodeURIComponent(q.text)}`)).json().items as { id: number }[];
    ranked.push(items.map((i) => keyOf.get(i.id) as string));
  }
  const answers = RETRIEVAL_QUERIES.map((q) => q.answers);
  return { mrr: mrrAt5(ranked, answers), top1: ranked.filter((r, i) => r[0] === answers[i]).length / ranked.length };
}

describe("knowledge search ranking", () => {
  it("puts the answering article first for most wordings, and synonyms lift the rest", async () => {
    const plain = await rank();
    for (const words of RETRIEVAL_SYNONYMS) await admin.post("/api/v1/kb/synonyms", { words });
    const withSynonyms = await rank();
    expect(withSynonyms.mrr).toBeGreaterThan(plain.mrr);
    expect(withSynonyms.mrr).toBeGreaterThanOrEqual(0.9);
    expect(withSynonyms.top1).toBeGreaterThanOrEqual(0.85);
  });
});
