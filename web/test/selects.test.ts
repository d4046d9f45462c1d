import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const src = path.resolve(__dirname, "../src");
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : full.endsWith(".tsx") ? [full] : [];
  });

/** The opening tag of every <Select …> (props may hold braces and arrows, so braces are balanced). */
function selectTags(text: string): { line: number; props: string }[] {
  const tags: { line: number; props: string }[] = [];
  for (let i = text.indexOf("<Select"); i >= 0; i = text.indexOf("<Select", i + 1)) {
    if (/[A-Za-z.]/.test(text[i + 7] ?? "")) continue; // <SelectSomething>, not antd's Select
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (c === ">" && depth === 0 && text[j - 1] !== "=") break;
    }
    tags.push({ line: text.slice(0, i).split("\n").length, props: text.slice(i, j) });
  }
  return tags;
}

describe("selects", () => {
  // Ant Design filters a searchable select by option value (an id or a code such as "urgent") unless
  // told otherwise: typing 紧急 would then find nothing. Every searchable select filters by its label
  // or brings its own filter.
  it("every searchable select filters by what the user reads", () => {
    const offenders = files(src).flatMap((file) =>
      selectTags(fs.readFileSync(file, "utf8"))
        .filter(({ props }) => /mode=\{?[^}]*"multiple"|showSearch|mode="tags"[\s\S]*options=/.test(props))
        .filter(({ props }) => !/optionFilterProp=|filterOption=/.test(props))
        .map(({ line }) => `${path.relative(src, file)}:${line}`),
    );
    expect(offenders).toEqual([]);
  });
});
