import { describe, expect, it } from "vitest";
import { htmlToText, sanitizeMailHtml, sanitizeUserHtml } from "../../src/platform/text/sanitize-html";

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

  it("points an email's inline images at their attachments and drops every other image", () => {
    const inline = new Map([["a1@mail", "/api/v1/attachments/7"]]);
    expect(
      sanitizeMailHtml(
        '<p>x<img src="cid:a1@mail" alt="图"><img src="https://t.example/p.gif"><img src="cid:unknown" onerror="x()"></p>',
        inline,
      ),
    ).toBe('<p>x<img src="/api/v1/attachments/7" alt="图" /></p>');
  });
});
