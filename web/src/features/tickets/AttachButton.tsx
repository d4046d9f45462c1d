import { Button, Tag } from "antd";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import type { useAttachments } from "./useAttachments";

/** The attach button (a hidden file input behind it) and the files waiting to be sent. */
export function AttachButton({ attachments }: { attachments: ReturnType<typeof useAttachments> }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button onClick={() => input.current?.click()} loading={attachments.uploading}>
        {t("ticket.attach")}
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          void attachments.attach([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
      {attachments.files.length > 0 && (
        <span data-testid="pending-attachments">
          {attachments.files.map((f) => (
            <Tag key={f.id} closable onClose={() => attachments.remove(f.id)}>
              📎 {f.filename}
            </Tag>
          ))}
        </span>
      )}
    </>
  );
}
