import sanitizeHtml from "sanitize-html";

const options: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "div",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "img",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "width", "height"],
    td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["https", "http", "cid"] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }) },
  disallowedTagsMode: "discard",
};

/** Text made safe to put into HTML (element content or a quoted attribute). */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** Removes scripts, event handlers, styles and unsafe URLs from user HTML. */
export const sanitizeUserHtml = (html: string) => sanitizeHtml(html, options);

/** Plain text of an HTML fragment (for search and for the text body). */
export const htmlToText = (html: string) =>
  sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, "\n$&"), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

/**
 * Sanitized HTML of an email body. Inline images (`cid:`) point at the stored attachment they
 * name; every other image is dropped, so a remote image (a tracking pixel) never loads in an
 * agent's browser.
 */
export function sanitizeMailHtml(html: string, inlineImages: ReadonlyMap<string, string>) {
  return sanitizeHtml(html, {
    ...options,
    transformTags: {
      ...options.transformTags,
      img: (tagName, attribs) => {
        const src = attribs.src ?? "";
        const url = /^cid:/i.test(src) ? inlineImages.get(src.slice(4).replace(/^<|>$/g, "")) : undefined;
        const alt = attribs.alt ?? "";
        return { tagName, attribs: url ? { ...attribs, src: url, alt } : { alt } };
      },
    },
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  });
}

/**
 * Sanitized HTML of a knowledge-base article: the user HTML rules, and images only from the
 * knowledge base's own files (uploaded with the article) or https.
 */
export function sanitizeArticleHtml(html: string) {
  return sanitizeHtml(html, {
    ...options,
    allowedSchemesByTag: { img: ["https"] },
    allowedSchemesAppliedToAttributes: ["href", "src"],
    transformTags: {
      ...options.transformTags,
      img: (tagName, attribs) => {
        const src = attribs.src ?? "";
        const own = /^\/api\/v1\/kb\/files\/\d+$/.test(src);
        return { tagName, attribs: own || /^https:\/\//i.test(src) ? { ...attribs, alt: attribs.alt ?? "" } : { alt: "" } };
      },
    },
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  });
}
