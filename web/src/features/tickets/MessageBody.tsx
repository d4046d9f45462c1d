import { Typography } from "antd";

/**
 * A message or description as it arrived: the HTML an email carried (sanitized by the server when
 * it was stored: no scripts, styles, event handlers or remote images), else the plain text.
 */
export function MessageBody({ text, html }: { text: string; html: string | null }) {
  if (html)
    // biome-ignore lint/security/noDangerouslySetInnerHtml: the server stores only sanitized HTML (sanitize-html allow-list)
    return <div className="message-html" data-testid="message-html" dangerouslySetInnerHTML={{ __html: html }} />;
  return <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{text}</Typography.Paragraph>;
}
