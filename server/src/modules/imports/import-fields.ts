import type { ImportEntity } from "@loopdesk/contracts/imports";

/**
 * The fields a spreadsheet column can fill, per kind of record, with the header words teams use
 * for them in Chinese and English (matched after lower-casing and dropping spaces and punctuation).
 */
export type FieldSpec = {
  key: string;
  words: string[];
  mapped?: "status" | "priority" | "category" | "department" | "assignee" | "channel";
};

const EXTERNAL_ID = {
  key: "externalId",
  words: ["外部编号", "原编号", "编号", "工单号", "工单编号", "序号", "id", "externalid", "ticketid", "ticketno", "ticketnumber", "no"],
};

export const IMPORT_FIELDS: Record<ImportEntity, FieldSpec[]> = {
  tickets: [
    EXTERNAL_ID,
    { key: "subject", words: ["主题", "标题", "工单标题", "问题", "问题标题", "摘要", "subject", "title", "summary"] },
    {
      key: "description",
      words: ["描述", "问题描述", "内容", "详情", "详细描述", "工单内容", "description", "details", "body", "content"],
    },
    { key: "status", words: ["状态", "工单状态", "处理状态", "status", "state"], mapped: "status" },
    { key: "priority", words: ["优先级", "紧急程度", "级别", "priority", "urgency"], mapped: "priority" },
    { key: "category", words: ["分类", "类别", "问题分类", "问题类型", "类型", "category", "type", "issuetype"], mapped: "category" },
    { key: "department", words: ["部门", "处理部门", "负责部门", "department", "group", "team"], mapped: "department" },
    {
      key: "assignee",
      words: ["处理人", "负责人", "受理人", "客服", "经办人", "assignee", "agent", "owner", "assignedto"],
      mapped: "assignee",
    },
    { key: "channel", words: ["渠道", "来源", "来源渠道", "channel", "source", "via"], mapped: "channel" },
    {
      key: "customerName",
      words: ["客户", "客户名称", "客户姓名", "姓名", "联系人", "报告人", "customer", "customername", "requester", "name", "contact"],
    },
    { key: "customerEmail", words: ["邮箱", "客户邮箱", "电子邮件", "email", "customeremail", "requesteremail", "mail"] },
    { key: "customerPhone", words: ["电话", "手机", "手机号", "联系电话", "客户电话", "phone", "mobile", "tel", "telephone"] },
    { key: "organization", words: ["公司", "单位", "组织", "客户公司", "organization", "organisation", "company"] },
    { key: "tags", words: ["标签", "tags", "labels"] },
    {
      key: "createdAt",
      words: ["创建时间", "提交时间", "登记时间", "报修时间", "日期", "时间", "createdat", "created", "createdate", "date", "opened"],
    },
    { key: "solvedAt", words: ["解决时间", "完成时间", "处理完成时间", "solvedat", "solved", "resolvedat", "resolved"] },
    { key: "closedAt", words: ["关闭时间", "closedat", "closed"] },
    { key: "reply", words: ["处理结果", "处理意见", "回复", "答复", "解决方案", "reply", "resolution", "answer", "response"] },
  ],
  customers: [
    EXTERNAL_ID,
    { key: "name", words: ["姓名", "客户", "客户名称", "客户姓名", "联系人", "name", "customer", "fullname"] },
    { key: "email", words: ["邮箱", "电子邮件", "email", "mail"] },
    { key: "phone", words: ["电话", "手机", "手机号", "联系电话", "phone", "mobile", "tel"] },
    { key: "organization", words: ["公司", "单位", "组织", "organization", "company"] },
    { key: "tier", words: ["等级", "客户等级", "级别", "tier", "level"] },
  ],
  organizations: [
    EXTERNAL_ID,
    { key: "name", words: ["名称", "公司", "公司名称", "单位", "组织", "name", "organization", "company"] },
    { key: "domain", words: ["域名", "网站", "domain", "website"] },
  ],
};

const norm = (s: string) => s.toLowerCase().replace(/[\s_\-–—:：/\\()（）[\]【】.。,，*#]/g, "");

/**
 * Guesses which field each header fills: an exact word first, then a header containing a word
 * (longest word first, so 客户邮箱 is the email, not the customer). A field is given to one column;
 * custom fields match by their label or key. Unmatched headers map to nothing ("").
 */
export function guessColumns(
  headers: string[],
  fields: FieldSpec[],
  customLabels: { key: string; label: string }[],
): Record<string, string> {
  const taken = new Set<string>();
  const result: Record<string, string> = {};
  const candidates = [
    ...fields.map((f) => ({ key: f.key, words: f.words.map(norm) })),
    ...customLabels.map((c) => ({ key: `custom.${c.key}`, words: [norm(c.label), norm(c.key)] })),
  ];
  const pick = (h: string, test: (word: string, header: string) => boolean) => {
    const header = norm(h);
    let best: { key: string; len: number } | undefined;
    for (const c of candidates) {
      if (taken.has(c.key)) continue;
      for (const w of c.words) if (w && test(w, header) && (!best || w.length > best.len)) best = { key: c.key, len: w.length };
    }
    return best?.key;
  };
  for (const h of headers) {
    const exact = pick(h, (w, header) => w === header);
    if (exact) {
      result[h] = exact;
      taken.add(exact);
    }
  }
  for (const h of headers) {
    if (result[h]) continue;
    const partial = norm(h).length >= 2 ? pick(h, (w, header) => w.length >= 2 && header.includes(w)) : undefined;
    result[h] = partial ?? "";
    if (partial) taken.add(partial);
  }
  return result;
}

/** Their words for our statuses, priorities and channels (Chinese and English, as in other helpdesks). */
export const VALUE_WORDS: Record<"status" | "priority" | "channel", Record<string, string[]>> = {
  status: {
    new: ["新建", "新", "未处理", "待受理", "待分配", "new", "open new", "unassigned"],
    open: ["处理中", "进行中", "已受理", "受理中", "跟进中", "open", "in progress", "processing", "assigned"],
    pending: ["待客户回复", "等待客户", "待回复", "挂起等待", "pending", "waiting", "awaiting customer"],
    on_hold: ["搁置", "暂停", "挂起", "hold", "on hold", "on-hold"],
    solved: ["已解决", "已处理", "已完成", "完成", "解决", "solved", "resolved", "done", "completed", "fixed"],
    closed: ["已关闭", "关闭", "结案", "已结案", "closed", "archived"],
  },
  priority: {
    low: ["低", "低级", "一般不急", "低优先级", "low", "minor", "p4"],
    normal: ["中", "普通", "一般", "正常", "normal", "medium", "p3"],
    high: ["高", "较高", "重要", "高优先级", "high", "major", "p2"],
    urgent: ["紧急", "加急", "特急", "非常紧急", "最高", "urgent", "critical", "blocker", "p1"],
  },
  channel: {
    email: ["邮件", "电子邮件", "email", "mail"],
    phone: ["电话", "热线", "来电", "phone", "voice", "call"],
    portal: ["门户", "网页", "网站", "自助", "portal", "web", "help center"],
    widget: ["在线", "在线客服", "网页聊天", "widget", "chat"],
    wecom: ["企业微信", "微信", "wecom", "wechat"],
    dingtalk: ["钉钉", "dingtalk"],
    feishu: ["飞书", "feishu", "lark"],
    api: ["api", "接口", "系统"],
  },
};

/** Our value for a word of theirs, if the word is one we know. */
export function knownValue(kind: keyof typeof VALUE_WORDS, word: string): string | undefined {
  const w = norm(word);
  for (const [ours, words] of Object.entries(VALUE_WORDS[kind])) if (norm(ours) === w || words.some((x) => norm(x) === w)) return ours;
  return undefined;
}
