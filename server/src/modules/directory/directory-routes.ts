import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams, itemsOf as items } from "@loopdesk/contracts/common";
import {
  category,
  createCategoryBody,
  createDepartmentBody,
  createSkillBody,
  createTeamBody,
  department,
  skill,
  team,
  updateCategoryBody,
  updateDepartmentBody,
  updateTeamBody,
} from "@loopdesk/contracts/directory";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { createCategory, listCategories, updateCategory } from "./category-service";
import { createDepartment, listDepartments, updateDepartment } from "./department-service";
import { createSkill, createTeam, listSkills, listTeams, updateTeam } from "./team-service";

export function registerDirectoryRoutes(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.db;
  route(app, {
    method: "GET",
    url: "/api/v1/departments",
    summary: "Department hierarchy",
    tags: ["departments"],
    access: "staff",
    responses: { 200: items(department) },
    handler: async () => ({ items: await listDepartments(db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/departments",
    summary: "Create a department (admin)",
    tags: ["departments"],
    access: ["admin"],
    audit: { table: "departments" },
    body: createDepartmentBody,
    responses: { 201: department },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createDepartment(db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/departments/:id",
    summary: "Rename or move a department (admin)",
    tags: ["departments"],
    access: ["admin"],
    audit: { table: "departments" },
    params: idParams,
    body: updateDepartmentBody,
    responses: { 200: department },
    handler: ({ params, body }) => updateDepartment(db, params.id, body),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/teams",
    summary: "Teams and their members",
    tags: ["teams"],
    access: "staff",
    responses: { 200: items(team) },
    handler: async () => ({ items: await listTeams(db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/teams",
    summary: "Create a team (admin)",
    tags: ["teams"],
    access: ["admin"],
    audit: { table: "teams" },
    body: createTeamBody,
    responses: { 201: team },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createTeam(db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/teams/:id",
    summary: "Update a team (admin or supervisor)",
    tags: ["teams"],
    access: ["admin", "supervisor"],
    audit: { table: "teams" },
    params: idParams,
    body: updateTeamBody,
    responses: { 200: team },
    handler: ({ params, body }) => updateTeam(db, params.id, body),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/skills",
    summary: "Skills",
    tags: ["skills"],
    access: "staff",
    responses: { 200: items(skill) },
    handler: async () => ({ items: await listSkills(db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/skills",
    summary: "Create a skill (admin)",
    tags: ["skills"],
    access: ["admin"],
    audit: { table: "skills" },
    body: createSkillBody,
    responses: { 201: skill },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createSkill(db, body.name);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/categories",
    summary: "Ticket categories (customers see active ones)",
    tags: ["categories"],
    access: "any",
    responses: { 200: items(category) },
    handler: async ({ principal }) => ({ items: await listCategories(db, principal.kind === "customer") }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/categories",
    summary: "Create a category (admin)",
    tags: ["categories"],
    access: ["admin"],
    audit: { table: "categories" },
    body: createCategoryBody,
    responses: { 201: category },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createCategory(db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/categories/:id",
    summary: "Update a category (admin)",
    tags: ["categories"],
    access: ["admin"],
    audit: { table: "categories" },
    params: idParams,
    body: updateCategoryBody,
    responses: { 200: category },
    handler: ({ params, body }) => updateCategory(db, params.id, body),
  });
}
