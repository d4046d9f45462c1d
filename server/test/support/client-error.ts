import { expect } from "vitest";

/** A hostile request's answer: never a 5xx, and any error in the shared shape { error: { code, message } }. */
export function assertClientError(res: { statusCode: number; body: string }, label: string) {
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = JSON.parse(res.body);
    expect(typeof body.error?.code, label).toBe("string");
    expect(typeof body.error?.message, label).toBe("string");
  }
}
