import type { Mail } from "../../platform/mail/mailer";

const texts = {
  "zh-CN": {
    subject: (code: string) => `您的登录验证码：${code}`,
    body: (code: string, link: string, minutes: number) =>
      `您好，\n\n您的客户中心登录验证码是：${code}\n也可以直接打开以下链接登录：\n${link}\n\n验证码和链接 ${minutes} 分钟内有效，只能使用一次。如果不是您本人操作，请忽略本邮件。`,
  },
  en: {
    subject: (code: string) => `Your sign-in code: ${code}`,
    body: (code: string, link: string, minutes: number) =>
      `Hello,\n\nYour customer portal sign-in code is: ${code}\nOr open this link to sign in:\n${link}\n\nThe code and the link work once, for ${minutes} minutes. If you did not ask for them, ignore this email.`,
  },
};

/** The sign-in mail in the customer's language. */
export function loginCodeMail(to: string, locale: string, code: string, link: string, minutes: number): Mail {
  const t = texts[locale === "en" ? "en" : "zh-CN"];
  return { to, subject: t.subject(code), text: t.body(code, link, minutes), sensitive: true };
}
