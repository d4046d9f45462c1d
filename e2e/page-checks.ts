import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const locales = path.join(path.dirname(fileURLToPath(import.meta.url)), "../web/src/locales/zh-CN.json");
/** An i18n key showing instead of its text starts with one of the locale's sections: "event.urged", "routing.reasons.x". */
const KEY = new RegExp(
  `(?<![@\\w.-])(?:${Object.keys(JSON.parse(fs.readFileSync(locales, "utf8")) as object).join("|")})\\.[a-zA-Z_]+(?:\\.[a-zA-Z_]+)*`,
  "g",
);
/** A file's name is not a key, though "tickets.json" looks like one. */
const FILE_NAME = /\.(json|ndjson|jsonl|csv|xlsx|pdf|png|jpe?g|txt|zip|gz)$/i;
const keyIn = (text: string) => [...text.matchAll(KEY)].map((m) => m[0]).find((k) => !FILE_NAME.test(k));
/** An id where a name belongs: a number in the quotes the history puts values in, or a "#12" that is not a ticket number. */
const RAW_VALUE = /「\d+」|“\d+”|\bundefined\b|\bnull\b|\[object Object\]|\bNaN\b|（#\d+）/;

/** Collects the page's console errors and uncaught exceptions (a 4xx/5xx resource shows as a console error too). */
export function watchErrors(page: Page, who: string) {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${who}: ${m.text()} @ ${page.url()}`);
  });
  page.on("pageerror", (e) => errors.push(`${who}: ${e.message} @ ${page.url()}`));
  return errors;
}

/**
 * What a person must never meet on a page: an error page or error box, a raw id or value where a
 * name belongs, an untranslated key.
 */
export async function expectCleanPage(page: Page, what: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  const text = (await page.locator("body").innerText()).replace(/\s+/g, " ");
  expect(text, `${what}: error page`).not.toMatch(/内容不存在或您无权查看|出错了|Not Found|Internal Server Error/);
  expect(await page.locator(".ant-alert-error").count(), `${what}: error box`).toBe(0);
  expect(text.match(RAW_VALUE)?.[0], `${what}: raw value`).toBeUndefined();
  expect(keyIn(text), `${what}: untranslated key`).toBeUndefined();
}
