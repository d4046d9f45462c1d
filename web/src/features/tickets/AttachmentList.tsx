import type { Message } from "@loopdesk/contracts/tickets";

/** Files of a message or a ticket: images as thumbnails, everything else as a download link. */
export function AttachmentList({ items }: { items: Message["attachments"] }) {
  if (items.length === 0) return null;
  return (
    <div data-testid="attachments" style={{ marginTop: 8, display: "flex", flexWrap: "wrap", gap: 8 }}>
      {items.map((a) =>
        a.contentType.startsWith("image/") ? (
          <a key={a.id} href={a.url} target="_blank" rel="noreferrer">
            <img src={a.url} alt={a.filename} style={{ maxWidth: 160, maxHeight: 120, borderRadius: 4, border: "1px solid #eee" }} />
          </a>
        ) : (
          <a key={a.id} href={a.url} download={a.filename}>
            📎 {a.filename}
          </a>
        ),
      )}
    </div>
  );
}
