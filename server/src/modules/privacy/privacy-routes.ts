import type { FastifyInstance } from "fastify";
import {
  privacyEraseBody,
  privacyRejectBody,
  privacyRequest,
  privacyRequestBody,
  privacyRequestQuery,
  retentionRule,
  retentionRuleBody,
  retentionRulePatch,
} from "@loopdesk/contracts/privacy";
import { idParams, itemsOf as items } from "@loopdesk/contracts/common";
import { z } from "zod";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import {
  archiveOf,
  createPrivacyRequest,
  fulfilAccess,
  fulfilErasure,
  getPrivacyRequest,
  listPrivacyRequests,
  rejectPrivacyRequest,
} from "./privacy-requests";
import { createRetentionRule, deleteRetentionRule, listRetentionRules, updateRetentionRule } from "./retention";

const tags = ["privacy"];
const ADMIN = ["admin"] as const;

/** 个人信息请求 (PIPL/GDPR access and erasure) and retention rules, for administrators. */
export function registerPrivacyRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/privacy-requests",
    summary: "Personal-information requests: open ones by deadline, then answered ones (admin)",
    tags,
    access: ADMIN,
    query: privacyRequestQuery,
    responses: { 200: items(privacyRequest) },
    handler: async ({ query }) => ({ items: await listPrivacyRequests(ctx, query.status) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/privacy-requests",
    summary: "Record a customer's access or erasure request; the deadline is 15 working days after it arrived (admin)",
    tags,
    access: ADMIN,
    audit: { table: "privacy_requests" },
    body: privacyRequestBody,
    responses: { 201: privacyRequest },
    handler: async ({ reply, body, principal }) => {
      const created = await createPrivacyRequest(ctx, principal.id, body);
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/privacy-requests/:id",
    summary: "One request with its verification report (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    responses: { 200: privacyRequest },
    handler: ({ params }) => getPrivacyRequest(ctx, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/privacy-requests/:id/export",
    summary: "Answer an access request: a zip of everything held about the customer (JSON and attachment files) (admin)",
    tags,
    access: ADMIN,
    audit: { action: "privacy-requests.export", table: "privacy_requests" },
    params: idParams,
    responses: { 200: privacyRequest },
    handler: ({ params, principal }) => fulfilAccess(ctx, params.id, principal.id),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/privacy-requests/:id/archive",
    summary: "Download an access request's archive (zip); the download is recorded (admin)",
    tags,
    access: ADMIN,
    audit: { action: "privacy-requests.download", targetType: "privacy_request" },
    params: idParams,
    handler: async ({ reply, params }) => {
      const archive = await archiveOf(ctx, params.id);
      reply.headers({
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="personal-data-${archive.customerId}.zip"`,
        "content-length": String(archive.size),
        "x-content-type-options": "nosniff",
      });
      return reply.send(archive.stream);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/privacy-requests/:id/erase",
    summary:
      "Answer an erasure request: the customer's personal data is removed or anonymized everywhere, statistics kept, and the database and files searched afterwards (admin)",
    tags,
    access: ADMIN,
    audit: { action: "privacy-requests.erase", table: "privacy_requests" },
    params: idParams,
    body: privacyEraseBody,
    responses: { 200: privacyRequest },
    handler: ({ params, body, principal }) => fulfilErasure(ctx, params.id, principal.id, body.confirmCustomerId),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/privacy-requests/:id/reject",
    summary: "Decline a request, with the reason given to the customer (admin)",
    tags,
    access: ADMIN,
    audit: { action: "privacy-requests.reject", table: "privacy_requests" },
    params: idParams,
    body: privacyRejectBody,
    responses: { 200: privacyRequest },
    handler: ({ params, body, principal }) => rejectPrivacyRequest(ctx, params.id, principal.id, body.reason),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/retention-rules",
    summary: "Retention rules: closed tickets older than N months (per category) have their content purged (admin)",
    tags,
    access: ADMIN,
    responses: { 200: items(retentionRule) },
    handler: async () => ({ items: await listRetentionRules(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/retention-rules",
    summary: "Add a retention rule (one per category; no category: every category without its own rule) (admin)",
    tags,
    access: ADMIN,
    audit: { table: "retention_rules" },
    body: retentionRuleBody,
    responses: { 201: retentionRule },
    handler: async ({ reply, body }) => {
      const created = await createRetentionRule(ctx.db, body);
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/retention-rules/:id",
    summary: "Change a retention rule (admin)",
    tags,
    access: ADMIN,
    audit: { table: "retention_rules" },
    params: idParams,
    body: retentionRulePatch,
    responses: { 200: retentionRule },
    handler: ({ params, body }) => updateRetentionRule(ctx.db, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/retention-rules/:id",
    summary: "Remove a retention rule (admin)",
    tags,
    access: ADMIN,
    audit: { table: "retention_rules" },
    params: idParams,
    responses: { 204: null },
    handler: ({ params }) => deleteRetentionRule(ctx.db, params.id),
  });
}
