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
};

export const problemText = (code: string, locale: Locale) => (TEXTS[code] ?? [code, code])[locale === "en" ? 1 : 0];

/** 检查报告 as Excel: one line per problem (row, column, value, problem, whether the row is still taken). */
export function problemWorkbook(problems: ImportProblem[], locale: Locale) {
  const en = locale === "en";
  const head = en ? ["Row", "Column", "Value", "Problem", "Row imported"] : ["行号", "列", "值", "问题", "该行是否导入"];
  const rows = problems.map((p) => [
    p.row,
    p.column,
    p.code === "duplicate_row" ? (en ? `same as row ${p.value}` : `同第 ${p.value} 行`) : (p.value ?? ""),
    problemText(p.code, locale),
    p.warning ? (en ? "yes" : "是") : en ? "no" : "否",
  ]);
  return toXlsx(head, rows, en ? "Problems" : "问题");
}
