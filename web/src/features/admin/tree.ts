/** Turns parent-linked rows into the nested `children` shape tree tables render. */
export function toTree<T extends { id: number; parentId: number | null }>(rows: T[]): (T & { children?: T[] })[] {
  const byParent = new Map<number | null, T[]>();
  for (const r of rows) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r]);
  const ids = new Set(rows.map((r) => r.id));
  const build = (r: T): T & { children?: T[] } => {
    const kids = byParent.get(r.id);
    return kids?.length ? { ...r, children: kids.map(build) } : { ...r };
  };
  // Roots: no parent, or a parent that is not in the list.
  return rows.filter((r) => r.parentId === null || !ids.has(r.parentId)).map(build);
}
