import type { Ticket, UpdateTicketBody } from "@loopdesk/contracts/tickets";
import { Alert, App, Button, Descriptions, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { errorText } from "../../app/error-text";
import { TicketFieldsForm } from "./TicketFieldsForm";
import { useNamed, useStaff, useUpdateTicket } from "./ticket-api";
import { priorities, statuses } from "./ticket-labels";

/**
 * Status, priority, assignee, category, department, tags and custom fields. Every change is sent with the version the agent saw;
 * if someone else changed the ticket meanwhile (412) the panel says so, shows the current
 * values, and lets the agent apply the change again — never a silent overwrite.
 */
export function TicketSidePanel({ ticket, isStaff }: { ticket: Ticket; isStaff: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateTicket(ticket.id);
  const staff = useStaff(isStaff);
  const categories = useNamed("/categories", isStaff);
  const departments = useNamed("/departments", isStaff);
  const [conflict, setConflict] = useState<{ changes: UpdateTicketBody } | null>(null);
  const closed = ticket.status === "closed";

  const change = (changes: UpdateTicketBody, version = ticket.version) =>
    update.mutate(
      { changes, version },
      {
        onSuccess: () => setConflict(null),
        onError: (e) => {
          if (e instanceof ApiError && e.code === "precondition_failed") setConflict({ changes });
          else void message.error(errorText(t, e));
        },
      },
    );

  return (
    <div data-testid="side-panel" className="side-panel">
      {conflict && (
        <Alert
          type="warning"
          showIcon
          data-testid="conflict"
          title={t("errors.precondition_failed")}
          action={
            <Button size="small" onClick={() => change(conflict.changes, ticket.version)}>
              {t("ticket.reapply")}
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t("tickets.status")}>
          <Select
            aria-label={t("tickets.status")}
            style={{ width: "100%" }}
            value={ticket.status}
            disabled={!isStaff || closed}
            onChange={(status) => change({ status })}
            options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Descriptions.Item>
        <Descriptions.Item label={t("tickets.priority")}>
          <Select
            aria-label={t("tickets.priority")}
            style={{ width: "100%" }}
            value={ticket.priority}
            disabled={!isStaff || closed}
            onChange={(priority) => change({ priority })}
            options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          />
        </Descriptions.Item>
        {isStaff && (
          <Descriptions.Item label={t("ticket.assignee")}>
            <Select
              aria-label={t("ticket.assignee")}
              style={{ width: "100%" }}
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t("ticket.unassigned")}
              value={ticket.assigneeId ?? undefined}
              disabled={closed}
              onChange={(assigneeId) => change({ assigneeId: assigneeId ?? null })}
              options={(staff.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Descriptions.Item>
        )}
        {isStaff && (
          <Descriptions.Item label={t("ticket.category")}>
            <Select
              aria-label={t("ticket.category")}
              style={{ width: "100%" }}
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder="—"
              value={ticket.categoryId ?? undefined}
              disabled={closed}
              onChange={(categoryId) => change({ categoryId: categoryId ?? null })}
              options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Descriptions.Item>
        )}
        {isStaff && (
          <Descriptions.Item label={t("ticket.department")}>
            <Select
              aria-label={t("ticket.department")}
              style={{ width: "100%" }}
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t("ticket.sharedInbox")}
              value={ticket.departmentId ?? undefined}
              disabled={closed}
              onChange={(departmentId) => change({ departmentId: departmentId ?? null })}
              options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Descriptions.Item>
        )}
        {isStaff && (
          <Descriptions.Item label={t("ticket.tags")}>
            <Select
              aria-label={t("ticket.tags")}
              mode="tags"
              style={{ width: "100%" }}
              value={ticket.tags}
              disabled={closed}
              onChange={(tags) => change({ tags })}
            />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t("tickets.channel")}>{t(`channel.${ticket.channel}`)}</Descriptions.Item>
      </Descriptions>
      <TicketFieldsForm ticket={ticket} editable={isStaff && !closed} onConflict={(changes) => setConflict({ changes })} />
    </div>
  );
}
