import type { FastifyInstance } from "fastify";
import { searchQuery, searchSuggestions } from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { suggest } from "./search-suggestions";

/** Search as you type, from anywhere in the workspace. */
export function registerSearchRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/search",
    summary:
      "Tickets and customers matching a text (number, words, a customer's name, phone or email, an organization), within the caller's scope",
    tags: ["tickets"],
    access: "staff",
    query: searchQuery,
    responses: { 200: searchSuggestions },
    handler: ({ principal, query }) => suggest(ctx, principal, query.q),
  });
}
