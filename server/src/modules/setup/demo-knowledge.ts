import type { Insertable, Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { KbUsesTable } from "../../db/schema-knowledge";
import { htmlToText } from "../../platform/text/sanitize-html";
import { indexVersion } from "../knowledge/article-search";
import type { Rng } from "./demo-rng";

type DemoArticle = {
  category: string;
  /** The ticket category whose tickets it helps resolve (for its use on the ticket page). */
  ticketCategory?: string;
  title: string;
  html: string;
  en?: { title: string; html: string };
  visibility: "public" | "internal";
  /** A published article's earlier text (a version with its diff), or a state before publishing. */
  previous?: string;
  state?: "review" | "sent_back" | "draft";
  stale?: boolean;
  tags?: string[];
};

const CATEGORIES = [
  { name: "账户与登录", en: "Account and sign-in", description: "登录、验证码、密码与账号安全" },
  { name: "退换货与退款", en: "Returns and refunds", description: "退货、换货、退款进度" },
  { name: "物流配送", en: "Delivery", description: "快递进度、签收、修改地址" },
  { name: "发票", en: "Invoices", description: "开具、修改与下载发票" },
  { name: "设备使用与维修", en: "Devices and repairs", description: "开机、回充、网络等常见故障" },
  { name: "客服内部规范", en: "Team handbook", description: "仅内部可见的处理规范" },
];

const ARTICLES: DemoArticle[] = [
  {
    category: "账户与登录",
    ticketCategory: "登录问题",
    title: "收不到短信验证码怎么办",
    html: "<p>请按以下步骤排查：</p><ol><li>确认手机号填写正确，且没有开启短信拦截；</li><li>等待 60 秒后重新获取验证码；</li><li>更换过手机号的用户，请先在“账号与安全”中更新手机号。</li></ol><p>仍然收不到时，请提交工单并告诉我们手机型号和运营商。</p>",
    en: {
      title: "I don't receive the SMS code",
      html: "<ol><li>Check the phone number and that SMS filtering is off.</li><li>Wait 60 seconds and request a new code.</li><li>If you changed your number, update it under Account &amp; Security first.</li></ol>",
    },
    visibility: "public",
    tags: ["验证码", "登录"],
  },
  {
    category: "账户与登录",
    ticketCategory: "登录问题",
    title: "账号被锁定后如何解锁",
    html: "<p>连续 5 次输错密码后，账号会锁定 30 分钟。可以等待自动解锁，或点击登录页的“忘记密码”重置密码后立即解锁。</p><p>重置邮件没收到时，请检查垃圾邮件文件夹。</p>",
    visibility: "public",
    previous: "<p>连续 5 次输错密码后，账号会锁定 1 小时。请等待自动解锁。</p>",
    tags: ["登录", "密码"],
  },
  {
    category: "退换货与退款",
    ticketCategory: "退换货",
    title: "如何申请退货",
    html: "<p>签收后 7 天内，在“我的订单”中点击<b>申请退货</b>，选择原因并上传照片。审核通过后快递员会在 24 小时内上门取件，无需垫付运费。</p><p>商品破损时，可以选择补发新品，无需退回原商品。</p>",
    en: {
      title: "How to return an item",
      html: "<p>Within 7 days of delivery, open My Orders and click <b>Return</b>. Once approved, a courier collects it within 24 hours.</p>",
    },
    visibility: "public",
    tags: ["退货"],
  },
  {
    category: "退换货与退款",
    ticketCategory: "退换货",
    title: "退款多久到账",
    html: "<p>仓库收到退货并验收后，退款会原路退回：</p><ul><li>微信、支付宝：1 个工作日内；</li><li>银行卡：1–3 个工作日；</li><li>信用卡：以发卡行入账为准，最长 7 个工作日。</li></ul>",
    visibility: "public",
    previous: "<p>仓库收到退货后，退款会在 3–5 个工作日内原路退回。</p>",
    tags: ["退款"],
  },
  {
    category: "退换货与退款",
    ticketCategory: "退换货",
    title: "尺码不合适如何换货",
    html: "<p>吊牌完好的商品可以换一次尺码：在订单中选择“换货”，新尺码会先发出，旧商品请在 7 天内寄回。</p>",
    visibility: "public",
    stale: true,
    tags: ["换货"],
  },
  {
    category: "物流配送",
    ticketCategory: "物流查询",
    title: "物流显示已签收但没收到",
    html: "<p>请先查看小区驿站和快递柜，快递员常把包裹放在驿站并短信发送取件码。仍找不到时，提交工单，我们会联系承运商在 24 小时内核实。</p>",
    visibility: "public",
    tags: ["快递", "签收"],
  },
  {
    category: "物流配送",
    ticketCategory: "物流查询",
    title: "发货前如何修改收货地址",
    html: "<p>订单发货前，可以在订单详情页点击“修改地址”。已发货的订单请联系客服，由我们与承运商协商改派。</p>",
    visibility: "public",
    tags: ["地址"],
  },
  {
    category: "发票",
    ticketCategory: "发票",
    title: "电子发票在哪里下载",
    html: "<p>订单完成后 3 个工作日内开具电子发票，可在“我的订单 → 发票”中下载，同时会发送到您的邮箱。</p><p>需要增值税专用发票，请提交工单并附上税号、开户行和地址电话。</p>",
    en: {
      title: "Where to download an e-invoice",
      html: "<p>Open My Orders → Invoices within 3 working days of completion; it is also emailed to you.</p>",
    },
    visibility: "public",
    tags: ["发票"],
  },
  {
    category: "发票",
    ticketCategory: "发票",
    title: "发票抬头开错了怎么重开",
    html: "<p>电子普通发票可以作废重开：在工单中提供正确的抬头和税号，财务会在 1 个工作日内重新开具。专票需寄回原发票后重开。</p>",
    visibility: "public",
    state: "review",
    tags: ["发票", "重开"],
  },
  {
    category: "设备使用与维修",
    ticketCategory: "设备报修",
    title: "扫地机器人不回充",
    html: "<p>多数回充问题可以这样解决：</p><ol><li>用干布清洁机器人底部和回充座的金属触点；</li><li>回充座两侧 0.5 米、前方 1.5 米内不要放置障碍物；</li><li>长按电源键 15 秒重启机器人。</li></ol>",
    visibility: "public",
    tags: ["回充", "扫地机器人"],
  },
  {
    category: "设备使用与维修",
    ticketCategory: "设备报修",
    title: "设备无法开机的排查步骤",
    html: "<p>请按住电源键 15 秒强制重启，并用原装充电器充电 30 分钟后再试。仍无法开机时，我们安排上门检修（保修期内免费）。</p>",
    visibility: "public",
    stale: true,
    tags: ["开机"],
  },
  {
    category: "客服内部规范",
    ticketCategory: "退换货",
    title: "破损商品补发的审批规则（内部）",
    html: "<p>订单金额 ¥500 以下：客服可直接登记补发；¥500–¥5,000：需售后主管在流程中审批；¥5,000 以上：另需财务经理审批。</p><p>补发前请确认客户上传了破损照片。</p>",
    visibility: "internal",
    tags: ["补发", "审批"],
  },
  {
    category: "客服内部规范",
    title: "投诉工单的安抚话术（内部）",
    html: "<p>先致歉、再复述问题、最后给出明确的时间承诺。不要推诿给其他部门，需要协作时使用流程并告诉客户当前环节。</p>",
    visibility: "internal",
    state: "sent_back",
    tags: ["投诉"],
  },
  {
    category: "设备使用与维修",
    ticketCategory: "设备报修",
    title: "路由器频繁掉线",
    html: "<p>草稿：请先确认固件版本……</p>",
    visibility: "public",
    state: "draft",
    tags: ["路由器"],
  },
];

const SYNONYMS = [
  ["退款", "退钱", "退费"],
  ["发票", "票据", "开票"],
  ["快递", "物流", "包裹"],
  ["登录", "登陆"],
  ["验证码", "短信码"],
];

const DAY = 86_400_000;

/**
 * 知识库 in the demo: categories, articles in every state (published with an earlier version, in
 * review, sent back, a draft, due for review, English variants), search synonyms, and a month of
 * use — agents inserting articles on tickets they solved, readers' feedback, and help-center visits
 * from the portal and the widget that ended without a request (自助解决) or with one.
 */
export async function seedDemoKnowledge(db: Transaction<DB>, r: Rng, now: Date) {
  const staff = await db.selectFrom("staff").select(["id", "role"]).where("active", "=", true).orderBy("id").execute();
  const agents = staff.filter((s) => s.role === "agent");
  const supervisor = staff.find((s) => s.role === "supervisor") ?? (staff[0] as (typeof staff)[number]);
  const categoryIds = new Map<string, number>();
  for (const [i, c] of CATEGORIES.entries()) {
    const row = await db
      .insertInto("kb_categories")
      .values({ name: c.name, name_en: c.en, description: c.description, position: i })
      .returning("id")
      .executeTakeFirstOrThrow();
    categoryIds.set(c.name, row.id);
  }
  const byTicketCategory = new Map<string, number[]>();
  const publicIds: number[] = [];
  for (const [i, a] of ARTICLES.entries()) {
    const author = agents[(i * 3) % Math.max(1, agents.length)] ?? supervisor;
    const created = new Date(now.getTime() - (40 - i * 2.5) * DAY);
    const article = await db
      .insertInto("kb_articles")
      .values({
        category_id: categoryIds.get(a.category) ?? null,
        visibility: a.visibility,
        owner_id: author.id,
        created_by: author.id,
        review_by: new Date(now.getTime() + (a.stale ? -5 : 90 + i) * DAY).toISOString().slice(0, 10),
        tags: a.tags ?? [],
        created_at: created,
        updated_at: new Date(created.getTime() + 2 * DAY),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const version = async (
      locale: "zh-CN" | "en",
      number: number,
      title: string,
      html: string,
      status: "draft" | "review" | "published" | "superseded",
      at: Date,
    ) => {
      const live = status === "published" || status === "superseded";
      const row = await db
        .insertInto("kb_article_versions")
        .values({
          article_id: article.id,
          locale,
          number,
          status,
          title,
          body_html: html,
          body_text: htmlToText(html),
          author_id: author.id,
          reviewer_id: live || a.state === "sent_back" ? supervisor.id : null,
          review_note: a.state === "sent_back" ? "请补充升级到主管的条件和时限。" : null,
          created_at: at,
          updated_at: at,
          submitted_at: status === "review" ? at : null,
          published_at: live ? new Date(at.getTime() + 3_600_000) : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (status === "published") await indexVersion(db, row.id);
    };
    if (a.state) {
      await version("zh-CN", 1, a.title, a.html, a.state === "review" ? "review" : "draft", created);
      continue;
    }
    if (a.previous) {
      await version("zh-CN", 1, a.title, a.previous, "superseded", created);
      await version("zh-CN", 2, a.title, a.html, "published", new Date(created.getTime() + 6 * DAY));
    } else await version("zh-CN", 1, a.title, a.html, "published", created);
    if (a.en) await version("en", 1, a.en.title, a.en.html, "published", new Date(created.getTime() + DAY));
    if (a.visibility === "public") publicIds.push(article.id);
    if (a.ticketCategory) byTicketCategory.set(a.ticketCategory, [...(byTicketCategory.get(a.ticketCategory) ?? []), article.id]);
  }
  for (const words of SYNONYMS) await db.insertInto("search_synonyms").values({ words }).execute();

  // Agents used the articles on tickets they solved this month.
  const solved = await db
    .selectFrom("tickets as t")
    .innerJoin("categories as c", "c.id", "t.category_id")
    .select(["t.id", "t.assignee_id", "t.solved_at", "c.name as category"])
    .where("t.status", "in", ["solved", "closed"])
    .where("t.assignee_id", "is not", null)
    .where("t.solved_at", ">=", new Date(now.getTime() - 30 * DAY))
    .orderBy("t.id")
    .execute();
  const uses: Insertable<KbUsesTable>[] = [];
  for (const t of solved) {
    const candidates = byTicketCategory.get(t.category);
    if (!candidates || !t.solved_at || !r.chance(0.35)) continue;
    const at = new Date(t.solved_at.getTime() - r.between(5, 60) * 60_000);
    const articleId = r.pick(candidates);
    const use = { ticket_id: t.id, staff_id: t.assignee_id, article_id: articleId, created_at: at };
    uses.push({ ...use, kind: "inserted" });
    if (r.chance(0.4)) uses.push({ ...use, kind: "helpful" });
  }
  if (uses.length) await db.insertInto("kb_uses").values(uses).execute();

  // Readers' feedback and help-center visits over the last month.
  const feedback = publicIds.flatMap((id) =>
    Array.from({ length: 4 + Math.floor(r.next() * 14) }, () => ({
      article_id: id,
      helpful: r.chance(0.78),
      source: r.pick(["help", "portal", "widget"] as const),
      created_at: new Date(now.getTime() - r.between(0, 30) * DAY),
    })),
  );
  if (feedback.length) await db.insertInto("kb_feedback").values(feedback).execute();
  const visits = Array.from({ length: 180 }, (_, i) => {
    const opened = new Date(now.getTime() - r.between(0.05, 30) * DAY);
    const submitted = r.chance(0.38);
    return {
      id: `demo-visit-${String(i).padStart(4, "0")}-${Math.floor(r.next() * 1e9).toString(36)}`,
      source: r.chance(0.6) ? ("portal" as const) : ("widget" as const),
      article_id: r.pick(publicIds),
      query: "",
      opened_at: opened,
      submitted_at: submitted ? new Date(opened.getTime() + r.between(2, 15) * 60_000) : null,
    };
  });
  await db.insertInto("kb_help_visits").values(visits).execute();
}
