import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Locator, type Page, chromium } from "playwright-core";
import { recordTrail } from "./trail";

/**
 * Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no network
 * chatter). Its clock runs in the workspace's zone (Asia/Shanghai), as our users' browsers do:
 * the report pages take "today" from the browser.
 */
/**
 * How long a test waits for something that arrives asynchronously (a live event, a job). CI runs
 * every suite at once on two cores, so this is generous; speed is measured in benchmarks.
 */
export const ASYNC_TIMEOUT = 30_000;

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    env: { ...process.env, TZ: "Asia/Shanghai" },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return recordTrail(browser);
}

const screenshotDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "screenshots");

/** Saves a full-page screenshot of a main screen under e2e/screenshots/ (git-ignored) for review. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Signs a staff member in and opens the workspace at `at` (waiting for it when that is the start page).
 * The password is sent to the sign-in API from the page's own browser context, whose cookie jar keeps
 * the session as the sign-in page's request would. The sign-in page itself — its form, errors,
 * two-step verification, single sign-on — is tested in sign-in.e2e.test.ts and beside it; through the
 * form every test paid for two cold loads of the app before its own page (about 2.5 s on an idle
 * machine, twice that in CI).
 */
export async function signInAsStaff(page: Page, baseUrl: string, email: string, password: string, at = "/") {
  const res = await page.request.post(`${baseUrl}/api/v1/auth/login`, { data: { email, password } });
  if (!res.ok()) throw new Error(`signing ${email} in failed: ${res.status()} ${await res.text()}`);
  await page.goto(`${baseUrl}${at}`);
  if (at === "/") await page.getByTestId("current-user").waitFor();
}

/**
 * Opens an Ant Design select and picks the option with this text. Under load a click can land on a
 * dropdown that is still closing, or one a live list refresh re-renders: the choice is checked and
 * tried again (CI on a busy machine once needed more than three tries).
 */
export async function pickOption(page: Page, select: Locator, option: string) {
  const failures: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    await select.click();
    const dropdown = page.locator(".ant-select-dropdown:visible:not([class*='-leave'])").last();
    const search = select.locator("input");
    const opens = (timeout: number) =>
      dropdown.waitFor({ timeout }).then(
        () => true,
        () => false,
      );
    // A click on a select whose list was already open can close it, and a list fetched as one types
    // stays shut until something is typed (a retry after Escape starts empty): type the option then.
    let opened = await opens(5_000);
    if (!opened && (await search.isEditable())) {
      await search.fill(option);
      opened = await opens(10_000);
    }
    if (!opened) {
      failures.push("the list did not open");
      continue;
    }
    // Options render a moment after the dropdown opens (and come later when they are fetched).
    await dropdown
      .locator(".ant-select-item-option")
      .first()
      .waitFor({ timeout: 3_000 })
      .catch(() => undefined);
    const choice = dropdown.locator(".ant-select-item-option").filter({ hasText: option }).first();
    // Long lists are virtual: when the option is not rendered, narrow a searchable list down.
    if ((await choice.count()) === 0 && (await search.isEditable())) await search.fill(option);
    // The dropdown can close under the click (the page re-rendered it): then open it again.
    const clicked = await choice.click({ timeout: 10_000 }).then(
      () => true,
      async (error: Error) => {
        const open = await page.locator(".ant-select-dropdown:visible").allTextContents();
        failures.push(`${error.message.split("\n")[0]} · open dropdowns: ${JSON.stringify(open)}`);
        return false;
      },
    );
    // A select whose value comes back from the server shows the choice a moment later.
    for (let waited = 0; clicked && waited < 8_000; waited += 100) {
      if (((await select.textContent()) ?? "").includes(option)) return;
      await page.waitForTimeout(100);
    }
    if (clicked) failures.push(`clicked, but the select shows ${JSON.stringify(await select.textContent())}`);
    await page.keyboard.press("Escape");
  }
  throw new Error(`could not pick ${option}: ${failures.join(" | ")}`);
}

/**
 * Presses a button of an Ant Design confirmation dialog and waits for the dialog to close. Under
 * load a click can land while the dialog is still zooming in and be lost (seen on CI: no request
 * left the page); the dialog is then still open and the button is pressed again. A dialog busy with
 * its action shows its button loading, which ignores further clicks.
 */
export async function pressInDialog(dialog: Locator, button: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    // A dialog that closes slowly (its action done, the page busy) is gone before a second press
    // lands: the press then fails, and the dialog being gone is what counts.
    const pressed = await dialog
      .getByRole("button", { name: button })
      .click({ timeout: 10_000 })
      .then(() => undefined)
      .catch((e: unknown) => e);
    const closed = await dialog
      .waitFor({ state: "detached", timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (closed) return;
    if (pressed && attempt === 3) throw pressed;
  }
  throw new Error(`the dialog did not close after pressing ${button}`);
}
