import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRIEVAL_ARTICLES, RETRIEVAL_QUERIES, RETRIEVAL_SYNONYMS, RETRIEVAL_UNANSWERED, mrrAt5 } from "../support/retrieval-set";
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

const keysFor = async (text: string, params = "limit=5") =>
  ((await t.anonymous.get(`/api/v1/help/search?${params}&q=${encodeURIComponent(text)}`)).json().items as { id: number }[]).map(
    (i) => keyOf.get(i.id) as string,
  );

async function rank() {
  const ranked: string[][] = [];
  for (const q of RETRIEVAL_QUERIES) ranked.push(await keysFor(q.text));
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

describe("suggestions for a request being written", () => {
  it("keep the answering article and leave out articles that share a common word only", async () => {
    let kept = 0;
    let answered = 0;
    let besideAnswer = 0;
    let besideAnswerBefore = 0;
    for (const q of RETRIEVAL_QUERIES) {
      const searched = await keysFor(q.text, "limit=3");
      const suggested = await keysFor(q.text, "limit=3&suggest=true");
      if (searched.includes(q.answers)) answered++;
      if (searched.includes(q.answers) && suggested.includes(q.answers)) kept++;
      // An answer the search put first is always suggested.
      if (searched[0] === q.answers) expect(suggested[0], q.text).toBe(q.answers);
      besideAnswer += suggested.filter((k) => k !== q.answers).length;
      besideAnswerBefore += searched.filter((k) => k !== q.answers).length;
    }
    // Lower down, an answer that matched by a single character or two may go (机器开不了机 → 设备无法开机).
    expect(kept).toBeGreaterThanOrEqual(answered * 0.95);
    expect(besideAnswer).toBeLessThan(besideAnswerBefore / 2);

    let nothing = 0;
    for (const text of RETRIEVAL_UNANSWERED) if ((await keysFor(text, "limit=3&suggest=true")).length === 0) nothing++;
    expect(nothing).toBeGreaterThanOrEqual(RETRIEVAL_UNANSWERED.length / 2);
    // Seen in the demo: 收不到短信验证码 offered for this because both have 不到.
    expect(await keysFor("建议增加夜间客服，晚上十点以后就找不到人了", "limit=3&suggest=true")).not.toContain("sms");
    // A search someone typed still lists every match.
    expect(await keysFor("建议增加夜间客服，晚上十点以后就找不到人了", "limit=3")).toContain("sms");
  });
});
