import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { idSchema } from "@loopdesk/contracts/common";
import type { AppContext } from "../../platform/context";
import { helpArticlePath, searchArticles } from "./article-search";
import { listKbCategories } from "./kb-categories";
import { type HelpLocale, helpTexts } from "./help-center-texts";
import { publicArticle, publicArticles, recordFeedback } from "./help-center";
import { escapeHtml } from "../../platform/text/sanitize-html";

const STYLE = `body{margin:0;font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f5f6f8;line-height:1.7}
header{background:#1f6feb;color:#fff;padding:28px 16px}header a{color:#fff;text-decoration:none}
.wrap{max-width:860px;margin:0 auto;padding:0 16px}h1{margin:0 0 12px;font-size:26px}
form.search{display:flex;gap:8px}form.search input{flex:1;padding:10px 12px;font-size:16px;border:0;border-radius:6px}
form.search button,.fb button{padding:10px 18px;font-size:15px;border:0;border-radius:6px;background:#0b4fc2;color:#fff;cursor:pointer}
main{padding:24px 16px}section{background:#fff;border-radius:8px;padding:18px 22px;margin-bottom:18px}
.cats{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px;list-style:none;padding:0}
.cats li{border:1px solid #e4e6eb;border-radius:8px;padding:12px}.muted{color:#646a73;font-size:14px}
ul.list{padding-left:18px}ul.list li{margin:8px 0}mark{background:#fff1b8;padding:0 1px}
article img{max-width:100%}.fb{display:flex;gap:8px;align-items:center;flex-wrap:wrap}.fb button.no{background:#8f959e}
nav.crumbs{font-size:14px;margin-bottom:8px}nav.crumbs a{color:#1f6feb}.lang{float:right;font-size:14px}`;

const localeOf = (req: FastifyRequest): HelpLocale => {
  const lang = (req.query as { lang?: string }).lang;
  if (lang === "en" || lang === "zh-CN") return lang;
  return /^en\b/i.test(req.headers["accept-language"] ?? "") ? "en" : "zh-CN";
};
/** Links keep the reader's language, whatever their browser prefers. */
const withLang = (path: string, locale: HelpLocale) => `${path}${path.includes("?") ? "&" : "?"}lang=${locale}`;
/** A page's stable address: Chinese without a parameter. */
const canonical = (path: string, locale: HelpLocale) => (locale === "en" ? withLang(path, locale) : path);

function page(
  reply: FastifyReply,
  locale: HelpLocale,
  o: { title: string; description?: string; canonical: string; body: string; status?: number },
) {
  const t = helpTexts(locale);
  const other: HelpLocale = locale === "en" ? "zh-CN" : "en";
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(o.title)}</title>
${o.description ? `<meta name="description" content="${escapeHtml(o.description)}">` : ""}
<link rel="canonical" href="${escapeHtml(o.canonical)}"><style>${STYLE}</style></head>
<body><header><div class="wrap"><a class="lang" href="${escapeHtml(withLang(o.canonical.replace(/[?&]lang=en$/, ""), other))}">${t.otherLanguage}</a>
<h1><a href="${withLang("/help", locale)}">${t.name}</a></h1>
<form class="search" action="/help/search" method="get" role="search"><input name="q" aria-label="${t.search}" placeholder="${t.searchPlaceholder}">
<input type="hidden" name="lang" value="${locale}"><button type="submit">${t.search}</button></form></div></header>
<main class="wrap">${o.body}<p class="muted"><a href="/portal">${t.contact}</a></p></main></body></html>`;
  return reply
    .code(o.status ?? 200)
    .type("text/html; charset=utf-8")
    .header(
      "content-security-policy",
      "default-src 'none'; img-src 'self' https:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    )
    .header("cache-control", "public, max-age=60")
    .send(html);
}

const snippet = (text: string) => escapeHtml(text.replace(/\s+/g, " ").slice(0, 110));

/**
 * The public help center (/help): server-rendered pages with stable addresses and proper titles, so
 * search engines index them and they work without JavaScript. Only published public articles.
 */
export async function registerHelpCenterPages(root: FastifyInstance, ctx: AppContext) {
  await root.register(async (app) => helpCenter(app, ctx));
}

function helpCenter(app: FastifyInstance, ctx: AppContext) {
  // The feedback buttons post a plain HTML form.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 4096 }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.get("/help", async (req, reply) => {
    const locale = localeOf(req);
    const t = helpTexts(locale);
    const [categories, popular] = await Promise.all([listKbCategories(ctx.db, "public"), publicArticles(ctx.db, { limit: 8, locale })]);
    const catName = (c: { name: string; nameEn: string | null }) => (locale === "en" ? (c.nameEn ?? c.name) : c.name);
    const body = `<section><h2>${t.categories}</h2><ul class="cats">${categories
      .filter((c) => c.articles > 0)
      .map(
        (c) =>
          `<li><a href="${withLang(`/help/categories/${c.id}`, locale)}">${escapeHtml(catName(c))}</a><div class="muted">${escapeHtml(c.description)} · ${t.articles(c.articles)}</div></li>`,
      )
      .join("")}</ul></section>
<section><h2>${t.popular}</h2><ul class="list">${popular
      .map((a) => `<li><a href="${withLang(`/help/articles/${a.id}`, locale)}">${escapeHtml(a.title)}</a></li>`)
      .join("")}</ul></section>`;
    return page(reply, locale, { title: t.name, description: t.searchPlaceholder, canonical: canonical("/help", locale), body });
  });

  app.get("/help/search", async (req, reply) => {
    const locale = localeOf(req);
    const t = helpTexts(locale);
    const q = String((req.query as { q?: unknown }).q ?? "")
      .slice(0, 200)
      .trim();
    const hits = q ? await searchArticles(ctx.db, q, { audience: "public", locale, limit: 20 }) : [];
    const body = `<section><h2>${escapeHtml(t.results(q, hits.length))}</h2>${
      hits.length
        ? `<ul class="list">${hits
            .map(
              (h) =>
                `<li><a href="${withLang(`/help/articles/${h.id}`, locale)}">${h.titleHtml}</a><div class="muted">${h.excerptHtml}</div></li>`,
            )
            .join("")}</ul>`
        : `<p>${escapeHtml(t.noResults(q))}</p>`
    }</section>`;
    return page(reply, locale, {
      title: `${q} - ${t.name}`,
      canonical: canonical(`/help/search?q=${encodeURIComponent(q)}`, locale),
      body,
    });
  });

  app.get("/help/categories/:id", async (req, reply) => {
    const locale = localeOf(req);
    const t = helpTexts(locale);
    const id = idSchema.safeParse((req.params as { id: string }).id);
    const category = id.success ? (await listKbCategories(ctx.db, "public")).find((c) => c.id === id.data) : undefined;
    if (!category || !id.success)
      return page(reply, locale, { title: t.notFound, canonical: "/help", body: `<section><p>${t.notFound}</p></section>`, status: 404 });
    const name = locale === "en" ? (category.nameEn ?? category.name) : category.name;
    const articles = await publicArticles(ctx.db, { categoryId: id.data, limit: 500, locale });
    const body = `<nav class="crumbs"><a href="${withLang("/help", locale)}">${t.home}</a> › ${escapeHtml(name)}</nav>
<section><h2>${escapeHtml(name)}</h2><p class="muted">${escapeHtml(category.description)}</p>${
      articles.length
        ? `<ul class="list">${articles
            .map(
              (a) =>
                `<li><a href="${withLang(`/help/articles/${a.id}`, locale)}">${escapeHtml(a.title)}</a><div class="muted">${snippet(a.body_text)}</div></li>`,
            )
            .join("")}</ul>`
        : `<p>${t.emptyCategory}</p>`
    }</section>`;
    return page(reply, locale, {
      title: `${name} - ${t.name}`,
      description: category.description,
      canonical: canonical(`/help/categories/${id.data}`, locale),
      body,
    });
  });

  app.get("/help/articles/:id", async (req, reply) => {
    const locale = localeOf(req);
    const t = helpTexts(locale);
    const id = idSchema.safeParse((req.params as { id: string }).id);
    const a = id.success ? await publicArticle(ctx.db, id.data, locale).catch(() => null) : null;
    if (!a)
      return page(reply, locale, { title: t.notFound, canonical: "/help", body: `<section><p>${t.notFound}</p></section>`, status: 404 });
    const thanks = (req.query as { thanks?: string }).thanks === "1";
    const category = a.category_id ? (locale === "en" ? (a.category_en ?? a.category) : a.category) : null;
    const files = a.files.length
      ? `<h3>${t.attachments}</h3><ul class="list">${a.files
          .map(
            (f) =>
              `<li><a href="/api/v1/kb/files/${f.id}">${escapeHtml(f.filename)}</a> <span class="muted">${Math.ceil(f.size / 1024)} KB</span></li>`,
          )
          .join("")}</ul>`
      : "";
    const feedback = thanks
      ? `<p>${t.thanks}</p>`
      : `<form class="fb" method="post" action="/help/articles/${a.id}/feedback?lang=${locale}"><span>${t.wasHelpful}</span>
<button name="helpful" value="yes">${t.yes}</button><button class="no" name="helpful" value="no">${t.no}</button></form>`;
    const body = `<nav class="crumbs"><a href="${withLang("/help", locale)}">${t.home}</a>${
      category ? ` › <a href="${withLang(`/help/categories/${a.category_id}`, locale)}">${escapeHtml(category)}</a>` : ""
    }</nav>
<section><article lang="${a.locale}"><h1>${escapeHtml(a.title)}</h1><p class="muted">${t.updated(a.published_at?.toISOString().slice(0, 10) ?? "")}</p>
${a.body_html}${files}</article></section><section>${feedback}</section>`;
    return page(reply, locale, {
      title: `${a.title} - ${t.name}`,
      description: a.body_text.replace(/\s+/g, " ").slice(0, 150),
      canonical: helpArticlePath(a.id, a.locale),
      body,
    });
  });

  // Without JavaScript: the buttons post a form; the answer goes back to the article, thanked.
  app.post("/help/articles/:id/feedback", async (req, reply) => {
    const id = idSchema.safeParse((req.params as { id: string }).id);
    const helpful = z.object({ helpful: z.enum(["yes", "no"]) }).safeParse(req.body ?? {});
    if (id.success && helpful.success) await recordFeedback(ctx.db, id.data, helpful.data.helpful === "yes", "help").catch(() => undefined);
    const locale = localeOf(req);
    return reply.redirect(`/help/articles/${id.success ? id.data : ""}?thanks=1&lang=${locale}`, 303);
  });
}
