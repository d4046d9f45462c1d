/**
 * Lines that start the quoted history mail clients append to a reply: "On … wrote:", the
 * Chinese clients' "在 … 写道：", Outlook's "-----Original Message-----" / "发件人:" block and
 * Foxmail's "------------------ 原始邮件 ------------------".
 */
const HISTORY_START = [
  /^\s*On .{1,200}wrote:\s*$/i,
  /^\s*在.{1,200}(写道|寫道)[:：]\s*$/,
  /^\s*-{2,}\s*(Original Message|原始邮件|原始郵件|Forwarded message|转发的邮件)\s*-{2,}\s*$/i,
  /^\s*(From|发件人|寄件者)\s*[:：].+$/i,
  /^_{10,}\s*$/,
];

/** A reply without the history it quotes (what the customer actually wrote now). */
export function trimQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (HISTORY_START.some((re) => re.test(line))) {
      // "From:" only counts as the start of a quoted header block when more header lines follow.
      if (/^\s*(From|发件人|寄件者)\s*[:：]/i.test(line) && !/^\s*(Sent|Date|发送时间|日期|To|收件人)\s*[:：]/i.test(lines[i + 1] ?? ""))
        continue;
      end = i;
      break;
    }
    if (/^\s*>/.test(line) && lines.slice(i).every((l) => /^\s*(>|$)/.test(l))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).join("\n").trimEnd();
  // Never store an empty reply because of an over-eager cut: keep the whole text then.
  return kept.trim() === "" ? text.trim() : kept;
}

/** Where the quoted history starts in the HTML that mail clients write (Gmail, Outlook, Apple Mail, Thunderbird, QQ/Foxmail, NetEase). */
const HTML_HISTORY_START = [
  /<div[^>]*class="[^"]*gmail_quote/i,
  /<blockquote[^>]*type="?cite/i,
  /<div[^>]*class="[^"]*moz-cite-prefix/i,
  /<(div|blockquote)[^>]*id="?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container|isReplyContent|original-content)/i,
  /<b>\s*(From|发件人|寄件者)\s*[:：]/i,
  /-{5,}(\s|&nbsp;)*(Original Message|原始邮件|原始郵件|Forwarded message|转发的邮件)/i,
  /On [^<>]{1,200}wrote:/i,
  /在[^<>]{1,200}(写道|寫道)[:：]/,
];

/**
 * A reply's HTML without the history it quotes, or null when the history cannot be found in the
 * HTML although the text had some (then only the trimmed text is stored, never the quote).
 */
export function trimQuotedHtml(html: string, textWasTrimmed: boolean): string | null {
  let cut = html.length;
  for (const re of HTML_HISTORY_START) {
    const at = html.search(re);
    if (at >= 0 && at < cut) cut = at;
  }
  if (cut === html.length) return textWasTrimmed ? null : html;
  return html.slice(0, cut);
}
