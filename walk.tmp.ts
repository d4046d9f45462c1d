import { launchBrowser, signInAsStaff } from "./e2e/browser";
const B = "http://localhost:3102";
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on("console", (m) => console.log("console", m.type(), m.text()));
await signInAsStaff(page, B, "lina@demo.loopdesk.local", "loopdesk-demo");
const res = await page.evaluate(
  async () => await (await fetch("/api/v1/tickets?q=" + encodeURIComponent("退款什么时候到账") + "&limit=5")).json(),
);
const id = (res as { items: { id: number; status: string }[] }).items.find((t) => t.status !== "closed")?.id;
await page.goto(`${B}/tickets/${id}`);
const card = page.getByTestId("knowledge-card");
await card.getByTestId("recommended-article").first().click();
await card.getByRole("button", { name: "插入答案" }).click();
await page.waitForTimeout(1000);
console.log(
  "value:",
  await page.getByLabel("内容", { exact: true }).count(),
  await page
    .locator("textarea")
    .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value + "|" + e.getAttribute("aria-label"))),
);
await page.screenshot({ path: "/tmp/w-insert.png" });
await browser.close();
