import type { Browser, Page } from "playwright-core";
import { afterEach, beforeEach } from "vitest";
import { serverOutputs } from "../server/test/support/spawn-server";

/**
 * What the pages of the running test did — API requests and their answers, live events received,
 * console errors — printed with the servers' last log lines when the test fails. A failure that
 * happens once in twenty CI runs can then be read from that run's log.
 */
const trail: string[] = [];
const started = () => (performance.now() / 1000).toFixed(2);

/** Records what each page the browser opens does (`browser.newPage` opens its page in a new context too). */
export function recordTrail(browser: Browser) {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser["newContext"]>) => {
    const context = await newContext(...args);
    context.on("page", watch);
    return context;
  };
  return browser;
}

function watch(page: Page) {
  const id = Math.random().toString(36).slice(2, 6);
  const note = (line: string) => {
    trail.push(`${started()} [page ${id}] ${line}`);
    if (trail.length > 400) trail.shift();
  };
  page.on("request", (r) => {
    if (r.url().includes("/api/")) note(`→ ${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
  });
  page.on("response", (r) => {
    if (r.url().includes("/api/")) note(`← ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on("requestfailed", (r) => note(`✗ ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.text().startsWith("[live]")) note(`console ${m.type()}: ${m.text().slice(0, 300)}`);
  });
  page.on("pageerror", (e) => note(`page error: ${e.message}`));
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) note(`navigated ${new URL(f.url()).pathname}`);
  });
  // The live stream's events, as the page receives them.
  void page
    .addInitScript(() => {
      const Original = window.EventSource;
      window.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          this.addEventListener("open", () => console.debug("[live] open"));
          this.addEventListener("error", () => console.debug("[live] error"));
          const add = this.addEventListener.bind(this);
          this.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
            if (type !== "open" && type !== "error") add(type, (e: Event) => console.debug(`[live] ${type} ${(e as MessageEvent).data}`));
            add(type, listener, options);
          }) as typeof this.addEventListener;
        }
      };
    })
    .catch(() => {});
}

// Only inside a test run (a walkthrough script launches the browser too).
if (process.env.VITEST) {
  beforeEach(() => {
    trail.length = 0;
  });
  afterEach(({ task }) => {
    if (task.result?.state !== "fail") return;
    const servers = serverOutputs()
      .map((out, i) => `--- server ${i + 1}, last lines ---\n${out.slice(-4000)}`)
      .join("\n");
    console.log(`--- what the pages did (${task.name}) ---\n${trail.join("\n")}\n${servers}`);
  });
}
