import type { NotificationType } from "@loopdesk/contracts/notifications";
import type { Mail } from "../../platform/mail/mailer";

type Data = Record<string, unknown>;
type Texts = { title: (d: Data) => string; target: Record<string, string>; footer: string };

const texts: Record<"zh-CN" | "en", Record<NotificationType, (d: Data, t: Texts) => string> & { _: Texts }> = {
  "zh-CN": {
    _: {
      title: (d) => `工单 #${d.ticketNumber}：${d.ticketSubject}`,
      target: { first_response: "首次响应", next_response: "下次响应", resolution: "解决" },
      footer: "您可以在个人设置中选择哪些通知发送邮件。",
    },
    assigned: () => "这张工单已分派给您。",
    customer_replied: () => "客户回复了这张工单。",
    urged: (d) => `${d.byName ?? "有人"} 催办了这张工单（第 ${d.urgeCount ?? 1} 次）。${d.note ? `\n留言：${d.note}` : ""}`,
    sla_warning: (d, t) => `“${t.target[String(d.target)] ?? d.target}”时效即将超时。`,
    sla_breached: (d, t) => `“${t.target[String(d.target)] ?? d.target}”时效已超时。`,
    escalated: (d, t) => `“${t.target[String(d.target)] ?? d.target}”超时后已升级（第 ${d.step} 步）。`,
    rule: (d) => `${d.message ?? ""}\n（规则：${d.ruleName ?? ""}）`,
    transferred: (d) => `${d.byName ?? "有人"} 把这张工单转给了您的部门${d.reason ? `，原因：${d.reason}` : ""}。`,
    sla_digest: (d) => `另有 ${d.count ?? 0} 条时效提醒（即将超时、已超时、升级），请在“已超时”视图中查看。`,
    calendar_outdated: (d) =>
      `法定节假日数据还没有 ${d.year} 年的安排：请在 管理控制台 → SLA 与工作日历 中录入或导入 ${d.year} 年的节假日和调休，否则时效会把元旦、春节算作工作日。`,
    task_assigned: (d) => `流程待办「${d.name}」交给了您，请在“我的待办”中处理。`,
    task_warning: (d) => `流程待办「${d.name}」即将超过目标时间。`,
    task_escalated: (d) => `流程待办「${d.name}」已超过目标时间，升级给您处理。`,
  },
  en: {
    _: {
      title: (d) => `Ticket #${d.ticketNumber}: ${d.ticketSubject}`,
      target: { first_response: "First response", next_response: "Next response", resolution: "Resolution" },
      footer: "Choose which notifications are emailed to you in your settings.",
    },
    assigned: () => "This ticket was assigned to you.",
    customer_replied: () => "The customer replied to this ticket.",
    urged: (d) => `${d.byName ?? "Someone"} urged this ticket (${d.urgeCount ?? 1} time(s)).${d.note ? `\nNote: ${d.note}` : ""}`,
    sla_warning: (d, t) => `The ${t.target[String(d.target)] ?? d.target} target is about to be missed.`,
    sla_breached: (d, t) => `The ${t.target[String(d.target)] ?? d.target} target was missed.`,
    escalated: (d, t) => `The missed ${t.target[String(d.target)] ?? d.target} target was escalated (step ${d.step}).`,
    rule: (d) => `${d.message ?? ""}\n(Rule: ${d.ruleName ?? ""})`,
    transferred: (d) => `${d.byName ?? "Someone"} transferred this ticket to your department${d.reason ? `: ${d.reason}` : ""}.`,
    sla_digest: (d) => `${d.count ?? 0} more SLA notices (due soon, missed, escalated): see the Breached view.`,
    calendar_outdated: (d) =>
      `The official holiday data has no ${d.year} schedule yet: enter or import ${d.year}'s holidays and make-up working days under Admin → SLA & calendars, or due times will count New Year and Spring Festival as working days.`,
    task_assigned: (d) => `The process task "${d.name}" is yours: see My tasks.`,
    task_warning: (d) => `The process task "${d.name}" is about to pass its target time.`,
    task_escalated: (d) => `The process task "${d.name}" passed its target time and was escalated to you.`,
  },
};

/** A staff notification as an email in the recipient's language, with a link to the ticket. */
export function notificationMail(to: string, locale: string, type: NotificationType, data: Data, link: string | null): Mail {
  const lang = texts[locale === "en" ? "en" : "zh-CN"];
  const body = lang[type](data, lang._);
  return {
    to,
    subject: `[Loopdesk] ${lang._.title(data)}`,
    text: `${body}\n\n${link ?? ""}\n\n${lang._.footer}`.replace(/\n{3,}/g, "\n\n"),
  };
}
