import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/platform/logger";

describe("logging", () => {
  it("never writes credentials: auth headers, cookies, passwords and tokens are redacted", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const captured = createLogger("info", sink);
    captured.info(
      {
        req: { headers: { authorization: "Bearer ldk_secret", cookie: "loopdesk_session=abc", "x-csrf-token": "csrf-secret" } },
        body: { password: "hunter2-secret", token: "ldk_other" },
      },
      "request",
    );
    const out = lines.join("");
    for (const secret of ["ldk_secret", "loopdesk_session=abc", "csrf-secret", "hunter2-secret", "ldk_other"])
      expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });
});
