import type { FastifyInstance } from "fastify";
import { ValidationError } from "../errors";

/**
 * JSON bodies: parsed as Fastify does (prototype-poisoning safe), but NUL characters, which
 * PostgreSQL text cannot hold, are refused up front with a clear message.
 */
export function installJsonParser(app: FastifyInstance) {
  const defaultParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = body as string;
    if (text.includes("\\u0000") || text.includes("\u0000"))
      return done(ValidationError([{ path: "", code: "nul_character", message: "Text may not contain NUL characters." }]), undefined);
    defaultParser(req, text, done);
  });
}
