/** What a process tells the customer while it runs, in their language (messages go out on the ticket's channel). */
const TEXTS = {
  "zh-CN": {
    stageDone: (stage: string, next: string[]) =>
      next.length ? `您的工单已完成「${stage}」，现在进入「${next.join("、")}」。我们会继续跟进。` : `您的工单已完成「${stage}」。`,
    stageDoneLast: (stage: string) => `您的工单已完成「${stage}」，全部处理环节已完成。`,
    waiting: (stage: string, hours: number) =>
      `您的工单仍在「${stage}」环节处理中（已 ${hours} 小时），我们没有忘记，处理完成后会第一时间告知您。`,
    ask: (step: string, lines: string, link: string) =>
      `为了继续处理（${step}），需要您补充以下信息：\n${lines}\n可以直接回复本消息，每项一行，按「名称：内容」填写；也可以在这里填写：${link}`,
  },
  en: {
    stageDone: (stage: string, next: string[]) =>
      next.length
        ? `Your request has completed "${stage}" and moved on to "${next.join(", ")}". We keep at it.`
        : `Your request has completed "${stage}".`,
    stageDoneLast: (stage: string) => `Your request has completed "${stage}", the last stage of its handling.`,
    waiting: (stage: string, hours: number) =>
      `Your request is still at "${stage}" (for ${hours} hours). We have not forgotten it and will tell you as soon as it moves on.`,
    ask: (step: string, lines: string, link: string) =>
      `To go on (${step}) we need the following from you:\n${lines}\nReply to this message with one line per item, as "name: value", or fill it in here: ${link}`,
  },
};

export const progressTexts = (locale: string | null) => TEXTS[locale === "en" ? "en" : "zh-CN"];
