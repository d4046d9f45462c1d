import Bowser from "bowser";

/** "Chrome 131 · Windows 10" from a user agent (bowser), or the raw text when it says nothing known. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return "—";
  const p = Bowser.parse(userAgent);
  const browser = [p.browser.name, p.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const os = [p.os.name, p.os.versionName ?? p.os.version].filter(Boolean).join(" ");
  const text = [browser, os].filter(Boolean).join(" · ");
  return text || userAgent.slice(0, 60);
}
