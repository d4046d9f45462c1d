import { z } from "zod";
import { patchBody } from "./common";

/** Departments, teams, skills and categories: the organization of the support desk. */
export const department = z.object({
  id: z.number(),
  name: z.string(),
  parentId: z.number().nullable(),
  /** Solving needs a public reply after the customer's last message (closing the loop). */
  solveRequiresReply: z.boolean(),
});
export const createDepartmentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  parentId: z.number().int().positive().nullable().default(null),
  solveRequiresReply: z.boolean().default(true),
});
export const updateDepartmentBody = patchBody(createDepartmentBody);

export const team = z.object({ id: z.number(), name: z.string(), departmentId: z.number(), memberIds: z.array(z.number()) });
export const createTeamBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  departmentId: z.number().int().positive(),
  memberIds: z.array(z.number().int().positive()).max(500).default([]),
});
export const updateTeamBody = patchBody(createTeamBody);

export const skill = z.object({ id: z.number(), name: z.string() });
export const createSkillBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

export const category = z.object({
  id: z.number(),
  name: z.string(),
  parentId: z.number().nullable(),
  departmentId: z.number().nullable(),
  position: z.number(),
  active: z.boolean(),
});
export const createCategoryBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  parentId: z.number().int().positive().nullable().default(null),
  departmentId: z.number().int().positive().nullable().default(null),
  position: z.number().int().min(0).max(100000).default(0),
  active: z.boolean().default(true),
});
export const updateCategoryBody = patchBody(createCategoryBody);
