import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, createTestApp } from "../support/test-app";

/** Every page carries a Content-Security-Policy without inline scripts; HSTS when cookies are secure. */
let t: TestApp;
let secure: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  secure = await createTestApp({ LOOPDESK_SECURE_COOKIES: "true" });
});
afterAll(async () => {
  await t.close();
  await secure.close();
});

describe("security headers", () => {
  it("the sign-in page, the workspace, the portal, the status page and the help center allow no inline script", async () => {
    for (const url of ["/", "/login", "/portal", "/status", "/tickets/1", "/help"]) {
      const res = await t.anonymous.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"], url).toContain("text/html");
      const csp = String(res.headers["content-security-policy"]);
      expect(csp, url).toMatch(/(script-src 'self'|default-src 'none')/);
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(res.headers["x-frame-options"], url).toBe("DENY");
      expect(res.headers["x-content-type-options"], url).toBe("nosniff");
      expect(res.headers["strict-transport-security"], url).toBeUndefined();
    }
  });

  it("the widget page may be framed by customers' sites; HSTS is sent when cookies are secure", async () => {
    const widget = await t.anonymous.get("/widget");
    expect(widget.headers["content-security-policy"]).toContain("frame-ancestors *");
    expect(widget.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(widget.headers["x-frame-options"]).toBeUndefined();
    const res = await secure.anonymous.get("/login");
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });
});
