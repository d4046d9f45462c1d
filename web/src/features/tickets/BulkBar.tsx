import type { UpdateTicketBody } from "@loopdesk/contracts/tickets";
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useStaff } from "./ticket-api";
import { priorities, statuses } from "./ticket-labels";

type Result = { items: { id: number; ok: boolean }[]; undoId: string | null; undoUntil: string | null };

/**
 * Changes for the selected tickets: status, priority, assignee, or an added tag — each confirmed
 * first (it says what will change on how many tickets), and undoable for a minute afterwards.
 */
export function BulkBar({ ids, tagsOf, onDone }: { ids: number[]; tagsOf: (id: number) => string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const staff = useStaff(true);
  // Remounting the selects after each action empties them again.
  const [round, setRound] = useState(0);

  const undo = async (undoIds: string[]) => {
    message.destroy("bulk-undo");
    try {
      let ok = 0;
      let skipped = 0;
      for (const id of undoIds) {
        const res = await api<Result>(`/tickets/bulk-update/${id}/undo`, { method: "POST", body: {} });
        ok += res.items.filter((r) => r.ok).length;
        skipped += res.items.filter((r) => !r.ok).length;
      }
      void message.success(skipped ? t("bulk.undonePartly", { ok, skipped }) : t("bulk.undone", { count: ok }));
    } catch (e) {
      void message.error(errorText(t, e));
    } finally {
      void qc.invalidateQueries({ queryKey: ["tickets"] });
      void qc.invalidateQueries({ queryKey: ["ticket"] });
    }
  };

  /** Asks first, naming the change and how many tickets it touches. */
  const confirm = (what: string, changes: UpdateTicketBody | ((id: number) => UpdateTicketBody)) => {
    modal.confirm({
      title: t("bulk.confirm", { count: ids.length, what }),
      content: t("bulk.confirmHelp"),
      okText: t("bulk.apply"),
      cancelText: t("common.cancel"),
      onOk: () => apply(changes),
      onCancel: () => setRound((r) => r + 1),
    });
  };

  const apply = async (changes: UpdateTicketBody | ((id: number) => UpdateTicketBody)) => {
    try {
      // Tags differ per ticket, so an added tag is one request per distinct tag set.
      const groups = new Map<string, { ids: number[]; changes: UpdateTicketBody }>();
      for (const id of ids) {
        const c = typeof changes === "function" ? changes(id) : changes;
        const key = JSON.stringify(c);
        groups.set(key, { ids: [...(groups.get(key)?.ids ?? []), id], changes: c });
      }
      let ok = 0;
      let failed = 0;
      const undoIds: string[] = [];
      for (const g of groups.values()) {
        const res = await api<Result>("/tickets/bulk-update", { method: "POST", body: g });
        ok += res.items.filter((r) => r.ok).length;
        failed += res.items.filter((r) => !r.ok).length;
        if (res.undoId) undoIds.push(res.undoId);
      }
      const text = failed ? t("bulk.partial", { ok, failed }) : t("bulk.done", { count: ok });
      void message.open({
        key: "bulk-undo",
        type: failed ? "warning" : "success",
        duration: 60,
        content: (
          <span data-testid="bulk-result">
            {text}{" "}
            {undoIds.length > 0 && (
              <Button size="small" type="link" data-testid="bulk-undo" onClick={() => void undo(undoIds)}>
                {t("bulk.undo")}
              </Button>
            )}
          </span>
        ),
      });
      onDone();
    } catch (e) {
      void message.error(errorText(t, e));
    } finally {
      setRound((r) => r + 1);
      void qc.invalidateQueries({ queryKey: ["tickets"] });
    }
  };

  return (
    <Space key={round} wrap data-testid="bulk-bar" style={{ marginBottom: 12, padding: 8, background: "#e6f4ff", borderRadius: 6 }}>
      <Typography.Text strong>{t("bulk.selected", { count: ids.length })}</Typography.Text>
      <Select
        aria-label={t("bulk.setStatus")}
        placeholder={t("bulk.setStatus")}
        style={{ width: 150 }}
        onChange={(status) => confirm(t("bulk.toStatus", { status: t(`status.${status}`) }), { status })}
        options={statuses.filter((s) => s !== "new").map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <Select
        aria-label={t("bulk.setPriority")}
        placeholder={t("bulk.setPriority")}
        style={{ width: 150 }}
        onChange={(priority) => confirm(t("bulk.toPriority", { priority: t(`priority.${priority}`) }), { priority })}
        options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
      />
      <Select
        aria-label={t("bulk.assign")}
        placeholder={t("bulk.assign")}
        style={{ width: 160 }}
        showSearch
        optionFilterProp="label"
        onChange={(assigneeId: number) =>
          confirm(t("bulk.toAssignee", { name: staff.data?.find((s) => s.id === assigneeId)?.name ?? "" }), { assigneeId })
        }
        options={(staff.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name }))}
      />
      <Select
        aria-label={t("bulk.addTag")}
        placeholder={t("bulk.addTag")}
        style={{ width: 150 }}
        mode="tags"
        onChange={(values: string[]) => {
          const tag = values[values.length - 1];
          if (tag) confirm(t("bulk.toTag", { tag }), (id) => ({ tags: [...new Set([...tagsOf(id), tag])] }));
        }}
      />
      <Button onClick={onDone}>{t("bulk.clear")}</Button>
    </Space>
  );
}
