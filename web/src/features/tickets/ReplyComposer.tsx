import type { Ticket } from "@loopdesk/contracts/tickets";
import { App, Button, Input, Segmented, Select, Space } from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { useCallback, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorText } from "../../app/error-text";
import { useShortcuts } from "../../app/shortcuts";
import { useAddMessage } from "./ticket-api";
import { statuses } from "./ticket-labels";

/** Reply to the customer or add an internal note, optionally leaving the ticket in a new status. */
export function ReplyComposer({ ticket, onTyping }: { ticket: Ticket; onTyping?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [visibility, setVisibility] = useState<"public" | "internal">("public");
  const [body, setBody] = useState("");
  const [status, setStatus] = useState<Ticket["status"] | undefined>();
  const add = useAddMessage(ticket.id);
  const textArea = useRef<TextAreaRef>(null);
  const startWriting = useCallback((mode: "public" | "internal") => {
    setVisibility(mode);
    setTimeout(() => textArea.current?.focus(), 0);
  }, []);
  useShortcuts(useMemo(() => ({ r: () => startWriting("public"), n: () => startWriting("internal") }), [startWriting]));
  if (ticket.status === "closed") return null;

  const submit = () =>
    add.mutate(
      { body, visibility, ...(status ? { status } : {}) },
      {
        onSuccess: () => {
          setBody("");
          setStatus(undefined);
        },
        onError: (e) => void message.error(errorText(t, e)),
      },
    );

  return (
    <div data-testid="composer" style={{ marginTop: 16 }}>
      <Segmented
        value={visibility}
        onChange={(v) => setVisibility(v as "public" | "internal")}
        options={[
          { label: t("ticket.publicReply"), value: "public" },
          { label: t("ticket.internalNote"), value: "internal" },
        ]}
      />
      <Input.TextArea
        ref={textArea}
        aria-label={t("ticket.messageBody")}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          onTyping?.();
        }}
        autoSize={{ minRows: 3, maxRows: 12 }}
        placeholder={visibility === "public" ? t("ticket.replyPlaceholder") : t("ticket.notePlaceholder")}
        style={{ marginTop: 8, background: visibility === "internal" ? "#fffbe6" : undefined }}
      />
      <Space style={{ marginTop: 8 }} wrap>
        <Select
          allowClear
          aria-label={t("ticket.statusAfter")}
          placeholder={t("ticket.statusAfter")}
          style={{ minWidth: 180 }}
          value={status}
          onChange={setStatus}
          options={statuses.filter((s) => s !== "new" && s !== "closed").map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Button type="primary" onClick={submit} loading={add.isPending} disabled={body.trim() === ""}>
          {visibility === "public" ? t("ticket.send") : t("ticket.addNote")}
        </Button>
      </Space>
    </div>
  );
}
