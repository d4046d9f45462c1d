import type { Ticket } from "@loopdesk/contracts/tickets";
import { App, Button, Input, Segmented, Select, Space } from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorText } from "../../app/error-text";
import { useShortcuts } from "../../app/shortcuts";
import { AttachButton } from "./AttachButton";
import { CannedReplyPicker } from "./CannedReplyPicker";
import { onInsertIntoReply } from "./composer-insert";
import { MacroPicker } from "./MacroPicker";
import { useAttachments } from "./useAttachments";
import { useAddMessage } from "./ticket-api";
import { statuses } from "./ticket-labels";

/**
 * Reply to the customer or add an internal note, optionally leaving the ticket in a new status. A
 * participant (the ticket moved to another department) adds internal notes only.
 */
export function ReplyComposer({ ticket, onTyping, isStaff }: { ticket: Ticket; onTyping?: () => void; isStaff: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notesOnly = ticket.access === "participant";
  const [chosen, setVisibility] = useState<"public" | "internal">("public");
  const visibility = notesOnly ? "internal" : chosen;
  const [body, setBody] = useState("");
  const [status, setStatus] = useState<Ticket["status"] | undefined>();
  const attachments = useAttachments();
  const { files, attach } = attachments;
  const add = useAddMessage(ticket.id);
  const textArea = useRef<TextAreaRef>(null);
  const caret = useRef<number | null>(null);
  const startWriting = useCallback((mode: "public" | "internal") => {
    setVisibility(mode);
    setTimeout(() => textArea.current?.focus(), 0);
  }, []);
  useShortcuts(
    useMemo(
      () => ({ r: () => startWriting("public"), ...(isStaff ? { n: () => startWriting("internal") } : {}) }),
      [startWriting, isStaff],
    ),
  );
  // Where the cursor was when the composer lost focus, else at the end.
  const insert = useCallback(
    (text: string) => {
      setBody((current) => {
        const at = Math.min(caret.current ?? current.length, current.length);
        return current.slice(0, at) + text + current.slice(at);
      });
      onTyping?.();
      setTimeout(() => textArea.current?.focus(), 0);
    },
    [onTyping],
  );
  useEffect(() => onInsertIntoReply(insert), [insert]);
  if (ticket.status === "closed") return null;

  const submit = () =>
    add.mutate(
      { body, visibility, attachmentIds: files.map((f) => f.id), ...(status ? { status } : {}) },
      {
        onSuccess: () => {
          setBody("");
          caret.current = null;
          setStatus(undefined);
          attachments.clear();
        },
        onError: (e) => void message.error(errorText(t, e)),
      },
    );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a shortcut; the attach button is the accessible way
    <div
      data-testid="composer"
      style={{ marginTop: 16 }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void attach([...e.dataTransfer.files]);
      }}
    >
      {isStaff && !notesOnly && (
        <Segmented
          value={visibility}
          onChange={(v) => setVisibility(v as "public" | "internal")}
          options={[
            { label: t("ticket.publicReply"), value: "public" },
            { label: t("ticket.internalNote"), value: "internal" },
          ]}
        />
      )}
      <Input.TextArea
        ref={textArea}
        aria-label={t("ticket.messageBody")}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          onTyping?.();
        }}
        onBlur={(e) => {
          caret.current = e.target.selectionStart;
        }}
        onPaste={(e) => {
          // A pasted screenshot becomes an attachment.
          const pasted = [...e.clipboardData.files];
          if (pasted.length) {
            e.preventDefault();
            void attach(pasted);
          }
        }}
        autoSize={{ minRows: 3, maxRows: 12 }}
        placeholder={visibility === "public" ? t("ticket.replyPlaceholder") : t("ticket.notePlaceholder")}
        style={{ marginTop: 8, background: visibility === "internal" ? "#fffbe6" : undefined }}
      />
      <Space style={{ marginTop: 8 }} wrap>
        <AttachButton attachments={attachments} />
        {isStaff && (
          <CannedReplyPicker
            ticket={ticket}
            onInsert={(text, internal) => {
              // Text written for colleagues never lands in a reply to the customer.
              if (internal && visibility === "public") {
                setVisibility("internal");
                void message.info(t("canned.switchedToNote"));
              }
              insert(text);
            }}
          />
        )}
        {isStaff && !notesOnly && <MacroPicker ticketId={ticket.id} />}
        {isStaff && !notesOnly && (
          <Select
            allowClear
            aria-label={t("ticket.statusAfter")}
            placeholder={t("ticket.statusAfter")}
            style={{ minWidth: 180 }}
            value={status}
            onChange={setStatus}
            options={statuses.filter((s) => s !== "new" && s !== "closed").map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        )}
        <Button
          type="primary"
          onClick={submit}
          loading={add.isPending}
          disabled={(body.trim() === "" && files.length === 0) || attachments.uploading}
        >
          {visibility === "public" ? t("ticket.send") : t("ticket.addNote")}
        </Button>
      </Space>
    </div>
  );
}
