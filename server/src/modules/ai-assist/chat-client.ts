import type { AiCallKind } from "../../db/schema-knowledge";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { activeAiConfig } from "./ai-settings";

export type ChatMessage = { role: "system" | "user"; content: string };

/**
 * One chat completion from the admin's OpenAI-compatible endpoint (`POST {base}/chat/completions`),
 * logged with who asked, for which ticket, the tokens and the time, whatever the outcome. A
 * timeout or an error answers 502 `ai_unavailable` with a clear message; the key never appears in
 * a log or an error.
 */
export async function chat(ctx: AppContext, who: { staffId: number; ticketId: number; kind: AiCallKind }, messages: ChatMessage[]) {
  const config = await activeAiConfig(ctx);
  const started = performance.now();
  let status: "ok" | "error" | "timeout" = "ok";
  let error: string | null = null;
  let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
  try {
    const res = await fetch(`${config.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify({ model: config.model, messages, temperature: 0.2 }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (!res.ok) throw new Error(`the endpoint answered HTTP ${res.status}`);
    const data = (await res.json()) as { choices?: { message?: { content?: unknown } }[]; usage?: typeof usage };
    usage = data.usage;
    const content = data.choices?.[0]?.message?.content;
    if (typeof content !== "string" || !content.trim()) throw new Error("the endpoint answered without a message");
    return content.trim();
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    status = timedOut ? "timeout" : "error";
    error = timedOut ? `no answer within ${config.timeoutMs / 1000} s` : e instanceof Error ? e.message.slice(0, 300) : "unknown error";
    throw new AppError(502, "ai_unavailable", `AI assist is unavailable: ${error}.`);
  } finally {
    await ctx.db
      .insertInto("ai_calls")
      .values({
        staff_id: who.staffId,
        ticket_id: who.ticketId,
        kind: who.kind,
        model: config.model,
        status,
        prompt_tokens: usage?.prompt_tokens ?? null,
        completion_tokens: usage?.completion_tokens ?? null,
        latency_ms: Math.round(performance.now() - started),
        error,
      })
      .execute()
      .catch((e) => ctx.logger.warn({ err: e }, "could not log an AI call"));
  }
}
