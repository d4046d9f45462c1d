import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { getCategory } from "../directory/category-service";
import { skillNames } from "../directory/team-service";

/** The skills each category requires, with the minimum level (skill-based routing reads them). */
export async function listCategorySkills(db: Executor) {
  const rows = await db.selectFrom("category_skills").selectAll().orderBy("category_id").orderBy("skill_id").execute();
  const byCategory = new Map<number, { skillId: number; minLevel: number }[]>();
  for (const r of rows)
    byCategory.set(r.category_id, [...(byCategory.get(r.category_id) ?? []), { skillId: r.skill_id, minLevel: r.min_level }]);
  return [...byCategory].map(([categoryId, skills]) => ({ categoryId, skills }));
}

export async function setCategorySkills(db: Executor, categoryId: number, skills: { skillId: number; minLevel: number }[]) {
  if (!(await getCategory(db, categoryId))) throw NotFoundError("Category");
  const ids = [...new Set(skills.map((s) => s.skillId))];
  const known = await skillNames(db, ids);
  const issues = skills.flatMap((s, i) =>
    known.has(s.skillId) ? [] : [{ path: `skills.${i}.skillId`, code: "unknown_reference", message: "Unknown skill." }],
  );
  if (issues.length) throw ValidationError(issues);
  await db.deleteFrom("category_skills").where("category_id", "=", categoryId).execute();
  const unique = [...new Map(skills.map((s) => [s.skillId, s])).values()];
  if (unique.length)
    await db
      .insertInto("category_skills")
      .values(unique.map((s) => ({ category_id: categoryId, skill_id: s.skillId, min_level: s.minLevel })))
      .execute();
  return { categoryId, skills: unique };
}
