import type { ImportProblem } from "@loopdesk/contracts/imports";
import { toXlsx } from "../../platform/files/spreadsheet";

type Locale = "zh-CN" | "en";

/** The problem codes of a check, worded for the downloadable report (the web app words them the same way). */
const TEXTS: Record<string, [zh: string, en: string]> = {
  required: ["必填，但为空", "required but empty"],
  too_long: ["太长（最多 300 个字）", "too long (300 characters at most)"],
  bad_date: ["不是能识别的日期时间（如 2025-03-01 10:20）", "not a date we can read (e.g. 2025-03-01 10:20)"],
  future_date: ["日期在未来", "the date is in the future"],
  before_created: ["早于创建时间", "earlier than the creation time"],
  bad_email: ["邮箱格式不对", "not an email address"],
  bad_phone: ["电话格式不对", "not a phone number"],
  contact_required: ["需要客户邮箱或电话（用来识别客户）", "a customer email or phone is needed (it identifies the customer)"],
  unknown_status: ["未知的状态，请在值映射中指定", "unknown status: map it in the value mapping"],
  unknown_priority: ["未知的优先级，请在值映射中指定", "unknown priority: map it in the value mapping"],
  unknown_category: ["没有这个分类，请在值映射中指定", "no such category: map it in the value mapping"],
  unknown_department: ["没有这个部门，请在值映射中指定", "no such department: map it in the value mapping"],
  unknown_assignee: ["没有这个员工，请在值映射中指定", "no such staff member: map it in the value mapping"],
  unknown_channel: ["未知的渠道，请在值映射中指定", "unknown channel: map it in the value mapping"],
  unknown_tier: ["未知的客户等级", "unknown customer tier"],
  duplicate_row: ["与前面一行重复（外部编号或整行相同），已跳过", "repeats an earlier row (same external id or same cells): skipped"],
  formula_cell: [
    "公式单元格：导入的是它保存的计算结果，公式不会执行",
    "formula cell: its saved result is imported, the formula is never run",
  ],
  custom_expected_number: ["应为数字", "a number is expected"],
  custom_expected_date: ["应为日期", "a date is expected"],
  custom_expected_boolean: ["应为 是/否", "yes or no is expected"],
  custom_unknown_option: ["不是该字段的选项", "not one of the field's options"],
  custom_pattern_mismatch: ["不符合该字段的格式", "does not match the field's format"],
  custom_expected_text: ["应为文字", "text is expected"],
  // Imports from other helpdesks (the row is their ticket number)
  requester_unknown: ["提交人不在导出的用户中，工单未导入", "the requester is not among the exported users: ticket not imported"],
  attachment_unavailable: ["附件无法读取，工单已导入但不含此附件", "the attachment could not be read: the ticket is imported without it"],
};

/** Why an attachment could not be read (the value of attachment_unavailable). */
const ATTACHMENT_REASONS: Record<string, [zh: string, en: string]> = {
  attachment_elsewhere: ["文件在 osTicket 的存储插件里，不在数据库中", "the file is in an osTicket storage plugin, not in its database"],
  too_large: ["超过 50 MB", "larger than 50 MB"],
  http_error: ["对方服务器返回了错误", "the server answered with an error"],
  unauthorized: ["无权读取（需要 API 令牌）", "not allowed (an API token is needed)"],
  forbidden: ["无权读取", "not allowed"],
  bad_url: ["地址无效或不是 https", "not a valid https address"],
  unreachable: ["无法连接", "could not connect"],
  unreadable: ["无法读取", "could not be read"],
};
export const attachmentReasonText = (reason: string, locale: Locale) =>
  (ATTACHMENT_REASONS[reason] ?? ATTACHMENT_REASONS.unreadable)[locale === "en" ? 1 : 0];

export const problemText = (code: string, locale: Locale) => (TEXTS[code] ?? [code, code])[locale === "en" ? 1 : 0];

/** 检查报告 as Excel: one line per problem (row, column, value, problem, whether the row is still taken). */
export function problemWorkbook(problems: ImportProblem[], locale: Locale, fromHelpdesk = false) {
  const en = locale === "en";
  // From another helpdesk a problem is about one of their tickets (its number) and a field or file.
  const head = fromHelpdesk
    ? en
      ? ["Their ticket", "Field or file", "Detail", "Problem", "Ticket imported"]
      : ["原工单编号", "字段或文件", "详情", "问题", "工单是否导入"]
    : en
      ? ["Row", "Column", "Value", "Problem", "Row imported"]
      : ["行号", "列", "值", "问题", "该行是否导入"];
  const rows = problems.map((p) => [
    p.row,
    p.column,
    p.code === "duplicate_row"
      ? en
        ? `same as row ${p.value}`
        : `同第 ${p.value} 行`
      : p.code === "attachment_unavailable"
        ? attachmentReasonText(p.value ?? "", locale)
        : (p.value ?? ""),
    problemText(p.code, locale),
    p.warning ? (en ? "yes" : "是") : en ? "no" : "否",
  ]);
  return toXlsx(head, rows, en ? "Problems" : "问题");
}
