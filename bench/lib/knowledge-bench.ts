import {
  RETRIEVAL_ARTICLES,
  RETRIEVAL_QUERIES,
  RETRIEVAL_SYNONYMS,
  RETRIEVAL_UNANSWERED,
  mrrAt5,
} from "../../server/test/support/retrieval-set";
import { generateCorpus } from "./classification-corpus";
import { percentiles, round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

/**
 * Issue 20: knowledge search and recommendations on the labelled set of server/test/support/retrieval-set.ts
 * (16 help articles, 48 customer wordings), among `distractors` other published articles (citizen-hotline
 * situations, another domain): MRR@5 and top-1 of the help-center search without and with the admin's
 * synonyms, and of the ticket page's article recommendations for tickets written in those words; the
 * time of one recommendation request (articles and similar solved tickets) over HTTP. Then how clean
 * the suggestions are (three at most): articles shown beside the answer, and the share of the
 * questions no article answers that get none — the new-ticket form's suggestions and the ticket
 * page's, against the plain search's first three (which lists every match).
 */
export async function benchKnowledge(api: Api, opts: { distractors: number }) {
  const keyOf = new Map<number, string>();
  const publish = async (title: string, body: string) => {
    const a = (await api("POST", "/api/v1/kb/articles", { title, bodyHtml: `<p>${body}</p>`, visibility: "public" })) as { id: number };
    await api("POST", `/api/v1/kb/articles/${a.id}/review`, { locale: "zh-CN", action: "publish" });
    return a.id;
  };
  for (const a of RETRIEVAL_ARTICLES) keyOf.set(await publish(a.title, a.body), a.key);
  for (const [i, d] of generateCorpus(opts.distractors, 31).entries()) await publish(`${d.label}热线答复 ${i}`, d.text);
  const answers = RETRIEVAL_QUERIES.map((q) => q.answers);
  const score = (ranked: string[][]) => ({
    mrrAt5: round(mrrAt5(ranked, answers)),
    top1: round(ranked.filter((r, i) => r[0] === answers[i]).length / ranked.length),
  });
  const search = async () => {
    const ranked: string[][] = [];
    for (const q of RETRIEVAL_QUERIES) {
      const res = (await api("GET", `/api/v1/help/search?limit=5&q=${encodeURIComponent(q.text)}`)) as { items: { id: number }[] };
      ranked.push(res.items.map((i) => keyOf.get(i.id) ?? "other"));
    }
    return score(ranked);
  };
  const withoutSynonyms = await search();
  for (const words of RETRIEVAL_SYNONYMS) await api("POST", "/api/v1/kb/synonyms", { words });
  const withSynonyms = await search();
  // The ticket page: a new ticket in the customer's words; its recommended articles (top three shown).
  const ranked: string[][] = [];
  const latencies: number[] = [];
  for (const [i, q] of RETRIEVAL_QUERIES.entries()) {
    const t = (await api("POST", "/api/v1/tickets", {
      subject: q.text,
      description: q.text,
      customer: { email: `kb${i}@example.cn` },
    })) as { id: number };
    const started = performance.now();
    const recs = (await api("GET", `/api/v1/tickets/${t.id}/recommendations`)) as { articles: { id: number }[] };
    latencies.push(performance.now() - started);
    ranked.push(recs.articles.map((a) => keyOf.get(a.id) ?? "other"));
  }
  const noise = async (top3: (text: string, i: number) => Promise<string[]>) => {
    let beside = 0;
    let none = 0;
    for (const [i, q] of RETRIEVAL_QUERIES.entries()) beside += (await top3(q.text, i)).filter((k) => k !== q.answers).length;
    for (const [i, text] of RETRIEVAL_UNANSWERED.entries()) if ((await top3(text, 1000 + i)).length === 0) none++;
    return { besidePerAnswered: round(beside / RETRIEVAL_QUERIES.length), unansweredWithNone: round(none / RETRIEVAL_UNANSWERED.length) };
  };
  const helpTop3 = (params: string) => async (text: string) =>
    ((await api("GET", `/api/v1/help/search?limit=3${params}&q=${encodeURIComponent(text)}`)) as { items: { id: number }[] }).items.map(
      (i) => keyOf.get(i.id) ?? "other",
    );
  const ticketPage = async (text: string, i: number) => {
    const t = (await api("POST", "/api/v1/tickets", { subject: text, description: text, customer: { email: `kbn${i}@example.cn` } })) as {
      id: number;
    };
    const recs = (await api("GET", `/api/v1/tickets/${t.id}/recommendations`)) as { articles: { id: number }[] };
    return recs.articles.map((a) => keyOf.get(a.id) ?? "other");
  };
  const suggestions = {
    search: await noise(helpTop3("")),
    newTicketForm: await noise(helpTop3("&suggest=true")),
    ticketPage: await noise(ticketPage),
  };
  return {
    articles: RETRIEVAL_ARTICLES.length,
    unanswered: RETRIEVAL_UNANSWERED.length,
    distractors: opts.distractors,
    queries: RETRIEVAL_QUERIES.length,
    search: { withoutSynonyms, withSynonyms },
    recommendations: { ...score(ranked), latency: percentiles(latencies) },
    suggestions,
  };
}
