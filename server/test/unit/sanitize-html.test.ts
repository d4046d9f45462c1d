import { describe, expect, it } from "vitest";
import { htmlToText, sanitizeUserHtml } from "../../src/platform/text/sanitize-html";

describe("user HTML", () => {
  it.each([
    ["<script>alert(1)</script><p>hi</p>", "<p>hi</p>"],
    ['<img src="x" onerror="alert(1)">', '<img src="x" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow" target="_blank">x</a>'],
    ['<p style="position:fixed">x</p>', "<p>x</p>"],
    ["<iframe src=//evil></iframe>ok", "ok"],
    ["<svg><script>alert(1)</script></svg>", ""],
  ])("sanitizes %s", (input, expected) => {
    expect(sanitizeUserHtml(input)).toBe(expected);
  });

  it("keeps safe formatting and links", () => {
    expect(sanitizeUserHtml('<p><b>订单</b> <a href="https://example.cn">链接</a></p>')).toBe(
      '<p><b>订单</b> <a href="https://example.cn" rel="noopener noreferrer nofollow" target="_blank">链接</a></p>',
    );
  });

  it("turns HTML into text with line breaks", () => {
    expect(htmlToText("<p>第一行</p><p>第二行 &amp; 更多</p>")).toBe("第一行\n第二行 & 更多");
  });
});
