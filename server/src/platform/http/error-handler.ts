import type { FastifyError, FastifyInstance } from "fastify";
import { AppError } from "../errors";
import { clientErrorFromDatabase } from "./db-errors";

/** The one place errors become HTTP responses: { error: { code, message, details } }. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((original: FastifyError | AppError | Error, req, reply) => {
    const err = clientErrorFromDatabase(original) ?? original;
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const fe = err as FastifyError;
    const status = fe.statusCode ?? 500;
    if (status === 413 || fe.code === "FST_ERR_CTP_BODY_TOO_LARGE" || fe.code === "FST_REQ_FILE_TOO_LARGE") {
      return reply.code(413).send({ error: { code: "payload_too_large", message: "The request body is too large." } });
    }
    if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || status === 415) {
      return reply.code(415).send({ error: { code: "unsupported_media_type", message: "Unsupported content type." } });
    }
    if (status >= 400 && status < 500) {
      const malformed =
        err instanceof SyntaxError || fe.code === "FST_ERR_CTP_INVALID_JSON_BODY" || fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY";
      return reply.code(malformed ? 400 : status).send({
        error: malformed
          ? { code: "malformed_json", message: "The request body is not valid JSON." }
          : { code: "validation_failed", message: err.message },
      });
    }
    req.log.error({ err }, "unhandled error");
    return reply.code(500).send({ error: { code: "internal_error", message: "Something went wrong on our side." } });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: "not_found", message: "No such endpoint." } }));
}
