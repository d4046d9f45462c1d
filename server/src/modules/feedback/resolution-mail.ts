import type { Mail } from "../../platform/mail/mailer";

const texts = {
  "zh-CN": {
    subject: (n: number, s: string) => `您的工单 #${n} 已解决：${s}`,
    body: (name: string, resolution: string, link: string) =>
      `${name}您好，\n\n您的问题已处理完毕，处理结果如下：\n\n${resolution}\n\n请打开以下链接确认并为本次服务评分；如果问题没有解决，也可以在同一页面重新打开工单：\n${link}\n\n感谢您的耐心。`,
  },
  en: {
    subject: (n: number, s: string) => `Your ticket #${n} is solved: ${s}`,
    body: (name: string, resolution: string, link: string) =>
      `Hello ${name},\n\nYour request has been solved:\n\n${resolution}\n\nPlease open this link to confirm and rate our service — or to reopen the ticket if the problem is not solved:\n${link}\n\nThank you for your patience.`,
  },
};

/** The resolution mail in the customer's language, with the one link to confirm, rate or reopen. */
export function resolutionMail(
  to: string,
  locale: string,
  t: { number: number; subject: string; customerName: string; resolution: string | null },
  link: string,
): Mail {
  const x = texts[locale === "en" ? "en" : "zh-CN"];
  // The link is the customer's key to the survey: the job keeps only the recipient once sent.
  return { to, subject: x.subject(t.number, t.subject), text: x.body(t.customerName, t.resolution ?? "—", link), sensitive: true };
}
