import type { ArticleDiff } from "@loopdesk/contracts/knowledge";
import { diffArrays } from "diff";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { tokens } from "../../platform/text/search-text";
import { presentVersion, selectVersions } from "./article-read";

/** What changed between two texts, word by word (jieba words, so Chinese and English both read naturally). */
export function diffText(before: string, after: string): ArticleDiff["body"] {
  const parts: ArticleDiff["body"] = [];
  for (const change of diffArrays(tokens(before), tokens(after))) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    const text = change.value.join("");
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
  return parts;
}

/** The difference between two versions of one article (same language), title and text. */
export async function diffVersions(db: Executor, articleId: number, fromId: number, toId: number): Promise<ArticleDiff> {
  const rows = await selectVersions(db).where("v.article_id", "=", articleId).where("v.id", "in", [fromId, toId]).execute();
  const from = rows.find((r) => r.id === fromId);
  const to = rows.find((r) => r.id === toId);
  if (!from || !to) throw NotFoundError("Version");
  return {
    from: presentVersion(from),
    to: presentVersion(to),
    title: diffText(from.title, to.title),
    body: diffText(from.body_text, to.body_text),
  };
}
