import {
  categoryGuess,
  categoryGuessBody,
  categorySuggestion,
  classificationSettings,
  classificationStatus,
  classifierModel,
} from "@loopdesk/contracts/classification";
import { idParams } from "@loopdesk/contracts/common";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { forgetClassifier, suggestCategory } from "./category-suggester";
import { classificationStatusOf, presentModel, ticketSuggestion } from "./classification-status";
import { saveClassificationSettings } from "./classification-settings";
import { trainClassifier } from "./train-classifier";

const tags = ["classification"];

/** 智能分类: the model's accuracy and settings for admins, training on demand, and a ticket's suggestion for its agents. */
export function registerClassificationRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/classification",
    summary: "The classifier in use (accuracy on held-out tickets, per category), its settings and how it has been used",
    tags,
    access: ["admin"],
    responses: { 200: classificationStatus },
    handler: () => classificationStatusOf(ctx.db),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/classification",
    summary: "Turn classification on or off, set the confidence from which it files tickets itself, and how often it relearns",
    tags,
    access: ["admin"],
    body: classificationSettings.partial(),
    responses: { 200: classificationSettings },
    handler: async ({ body }) => {
      const saved = await saveClassificationSettings(ctx.db, body);
      forgetClassifier(ctx.db);
      return saved;
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/classification/train",
    summary: "Learn again from the handled tickets now (in a worker thread); answers the new model with its held-out accuracy",
    tags,
    access: ["admin"],
    responses: { 201: classifierModel },
    handler: async ({ reply }) => {
      const model = await trainClassifier(ctx.db);
      forgetClassifier(ctx.db);
      reply.code(201);
      return presentModel(await ctx.db.selectFrom("classifier_models").selectAll().where("id", "=", model.id).executeTakeFirstOrThrow());
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/classification/suggest",
    summary: "The category the classifier would choose for a text still being written (the staff's new-ticket form), with its confidence",
    tags,
    access: "staff",
    body: categoryGuessBody,
    responses: { 200: categoryGuess },
    handler: async ({ body }) => {
      const guess = await suggestCategory(ctx.db, body.subject, body.description);
      return { suggestion: guess ? { categoryId: guess.categoryId, confidence: guess.confidence } : null };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/category-suggestion",
    summary: "What the classifier suggested for the ticket when it arrived (null when it did not)",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: z.object({ suggestion: categorySuggestion.nullable() }) },
    handler: async ({ principal, params }) => {
      await loadVisibleTicket(ctx.db, principal, params.id);
      return { suggestion: await ticketSuggestion(ctx.db, params.id) };
    },
  });
}
