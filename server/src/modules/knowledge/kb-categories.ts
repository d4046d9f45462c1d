import type { KbCategory, kbCategoryBody } from "@loopdesk/contracts/knowledge";
import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

/** Knowledge categories in their order, with how many live articles each holds (public ones only for customers). */
export async function listKbCategories(db: Executor, audience: "staff" | "public" = "staff"): Promise<KbCategory[]> {
  const rows = await db
    .selectFrom("kb_categories as c")
    .selectAll("c")
    .select(
      sql<number>`(select count(*) from kb_articles a where a.category_id = c.id and a.archived_at is null
        and (${audience} = 'staff' or a.visibility = 'public')
        and exists (select 1 from kb_article_versions v where v.article_id = a.id and v.status = 'published'))::int`.as("articles"),
    )
    .orderBy("c.position")
    .orderBy("c.id")
    .execute();
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    nameEn: c.name_en,
    description: c.description,
    position: c.position,
    articles: c.articles,
  }));
}

const values = (input: z.infer<typeof kbCategoryBody>) => ({
  name: input.name,
  ...(input.nameEn !== undefined ? { name_en: input.nameEn || null } : {}),
  ...(input.description !== undefined ? { description: input.description } : {}),
  ...(input.position !== undefined ? { position: input.position } : {}),
});

export async function createKbCategory(db: Kysely<DB>, input: z.infer<typeof kbCategoryBody>) {
  const row = await db.insertInto("kb_categories").values(values(input)).returning("id").executeTakeFirstOrThrow();
  return (await listKbCategories(db)).find((c) => c.id === row.id) as KbCategory;
}

export async function updateKbCategory(db: Kysely<DB>, id: number, input: z.infer<typeof kbCategoryBody>) {
  const res = await db.updateTable("kb_categories").set(values(input)).where("id", "=", id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw NotFoundError("Knowledge category");
  return (await listKbCategories(db)).find((c) => c.id === id) as KbCategory;
}

/** Its articles stay, without a category. */
export async function deleteKbCategory(db: Kysely<DB>, id: number) {
  const res = await db.deleteFrom("kb_categories").where("id", "=", id).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Knowledge category");
}
