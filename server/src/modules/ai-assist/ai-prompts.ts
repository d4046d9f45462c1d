/** What AI assist asks the model, in the agent's language. */
const TEXTS = {
  "zh-CN": {
    summary:
      "你是客服工单助手。请用简体中文总结下面的工单，给客服接手时看：客户的问题、已经做过的处理、现在的状态、建议的下一步。用 3 到 5 条要点，每条一行，以“- ”开头，不要编造工单里没有的内容。",
    reply:
      "你是客服，正在回复客户。只根据下面编号的知识库文章起草一段礼貌、简洁的简体中文回复；用到某篇文章的内容时，在句末标注它的编号，如 [1]。文章没有覆盖的问题，请说明需要进一步确认，不要编造。只输出回复正文。",
    article:
      "请把下面这张已解决的工单写成一篇知识库文章，给以后遇到同样问题的客户和客服看。第一行只写文章标题；之后是正文，分为“问题”和“解决方法”两部分，语言简洁。不要出现任何客户的姓名、电话、邮箱、地址或订单号。",
    ticket: "工单",
    subject: "主题",
    status: "状态",
    customer: "客户",
    agent: "客服",
    note: "内部备注",
    articles: "知识库文章",
  },
  en: {
    summary:
      "You assist support agents. Summarize the ticket below for an agent taking it over: the customer's problem, what was done, where it stands, the suggested next step. 3 to 5 bullet points, one per line starting with '- '. Do not invent anything the ticket does not say.",
    reply:
      "You are a support agent replying to the customer. Draft a short, polite reply using only the numbered knowledge-base articles below; after a sentence that uses an article, cite its number like [1]. For anything the articles do not cover, say it needs checking; never invent. Output only the reply.",
    article:
      "Write the solved ticket below as a knowledge-base article for customers and agents with the same problem. First line: the title only; then the text in two parts, 'Question' and 'Resolution', concise. Leave out any customer's name, phone, email, address or order number.",
    ticket: "Ticket",
    subject: "Subject",
    status: "Status",
    customer: "Customer",
    agent: "Agent",
    note: "Internal note",
    articles: "Knowledge-base articles",
  },
};

export const aiTexts = (locale: string) => TEXTS[locale === "en" ? "en" : "zh-CN"];
