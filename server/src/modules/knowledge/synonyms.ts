import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { queryWords } from "../../platform/text/search-text";

/** Admin-managed words that mean the same (退款/退钱, 发票/票据): a search for one finds the others. */
export async function listSynonyms(db: Executor) {
  const rows = await db.selectFrom("search_synonyms").select(["id", "words"]).orderBy("id").execute();
  return rows;
}

const normalize = (words: string[]) => [...new Set(words.map((w) => w.trim().toLowerCase()).filter(Boolean))];

export async function createSynonyms(db: Kysely<DB>, words: string[]) {
  return db
    .insertInto("search_synonyms")
    .values({ words: normalize(words) })
    .returning(["id", "words"])
    .executeTakeFirstOrThrow();
}

export async function updateSynonyms(db: Kysely<DB>, id: number, words: string[]) {
  const row = await db
    .updateTable("search_synonyms")
    .set({ words: normalize(words) })
    .where("id", "=", id)
    .returning(["id", "words"])
    .executeTakeFirst();
  if (!row) throw NotFoundError("Synonym group");
  return row;
}

export async function deleteSynonyms(db: Kysely<DB>, id: number) {
  const res = await db.deleteFrom("search_synonyms").where("id", "=", id).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Synonym group");
}

/**
 * The query's words, each with its synonyms: a group per word. A synonym written as one word
 * that jieba cuts differently (退钱 → 退 钱) still matches, because the group is searched as words.
 */
export async function expandQuery(db: Executor, q: string, max = 16): Promise<string[][]> {
  const words = queryWords(q, max);
  if (words.length === 0) return [];
  const groups = await listSynonyms(db);
  return words.map((w) => {
    const same = groups.filter((g) => g.words.includes(w)).flatMap((g) => g.words);
    return [...new Set([w, ...same])];
  });
}
