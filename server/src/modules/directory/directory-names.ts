import type { Executor } from "../../platform/jobs/job-queue";

type Ids = { departments?: number[]; teams?: number[]; categories?: number[] };

const unique = (ids: number[] | undefined) => [...new Set(ids ?? [])];

async function namesFrom(db: Executor, table: "departments" | "teams" | "categories", ids: number[] | undefined) {
  const wanted = unique(ids);
  if (wanted.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom(table).select(["id", "name"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of departments, teams and categories by id, e.g. for a history that refers to them. */
export async function directoryNames(db: Executor, ids: Ids) {
  const [departments, teams, categories] = await Promise.all([
    namesFrom(db, "departments", ids.departments),
    namesFrom(db, "teams", ids.teams),
    namesFrom(db, "categories", ids.categories),
  ]);
  return { departments, teams, categories };
}
