import type { Ticket, UpdateTicketBody } from "@loopdesk/contracts/tickets";
import { Alert, App, Button, Descriptions, Select, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { errorText } from "../../app/error-text";
import { CategorySuggestion } from "../classification/CategorySuggestion";
import { TransferDialog } from "../routing/TransferDialog";
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
  const teams = useNamed("/teams", isStaff);
  const [conflict, setConflict] = useState<{ changes: UpdateTicketBody } | null>(null);
  const [transferring, setTransferring] = useState(false);
  const closed = ticket.status === "closed";
  // A participant (the ticket went to another department) reads it and adds notes; its owners change it.
  const editable = isStaff && !closed && ticket.access !== "participant";
  const assigneeName = ticket.assigneeId === null ? null : staff.data?.find((s) => s.id === ticket.assigneeId)?.name;
  const departmentName = ticket.departmentId === null ? null : departments.data?.find((d) => d.id === ticket.departmentId)?.name;
  const teamName = ticket.teamId === null ? null : teams.data?.find((x) => x.id === ticket.teamId)?.name;

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
            disabled={!editable}
            onChange={(status) => change({ status })}
            options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Descriptions.Item>
        <Descriptions.Item label={t("tickets.priority")}>
          <Select
            aria-label={t("tickets.priority")}
            style={{ width: "100%" }}
            value={ticket.priority}
            disabled={!editable}
            onChange={(priority) => change({ priority })}
            options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          />
        </Descriptions.Item>
        {isStaff && (
          <Descriptions.Item label={t("ticket.assignee")}>
            {/* Giving an unassigned ticket to someone is an assignment; moving an assigned one is a transfer (转派), with a reason. */}
            {ticket.assigneeId === null && editable ? (
              <Select
                aria-label={t("ticket.assignee")}
                style={{ width: "100%" }}
                showSearch
                optionFilterProp="label"
                placeholder={t("ticket.unassigned")}
                value={undefined}
                onChange={(assigneeId: number) => change({ assigneeId })}
                options={(staff.data ?? [])
                  .filter((s) => s.active && (ticket.departmentId === null || s.departmentIds.includes(ticket.departmentId)))
                  .map((s) => ({ value: s.id, label: s.name }))}
              />
            ) : (
              <span data-testid="assignee-name">{assigneeName ?? t("ticket.unassigned")}</span>
            )}
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
              disabled={!editable}
              onChange={(categoryId) => change({ categoryId: categoryId ?? null })}
              options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
            <CategorySuggestion
              ticketId={ticket.id}
              categoryId={ticket.categoryId}
              nameOf={(id) => categories.data?.find((c) => c.id === id)?.name}
              onTake={(categoryId) => change({ categoryId })}
              editable={editable}
            />
          </Descriptions.Item>
        )}
        {isStaff && (
          <Descriptions.Item label={t("ticket.department")}>
            <Space wrap size={4} style={{ justifyContent: "space-between", width: "100%" }}>
              <span data-testid="ticket-department">
                {departmentName ?? t("ticket.sharedInbox")}
                {teamName && ` · ${teamName}`}
              </span>
              {editable && (
                <Button size="small" data-testid="transfer" onClick={() => setTransferring(true)}>
                  {t("routing.transfer")}
                </Button>
              )}
            </Space>
          </Descriptions.Item>
        )}
        {isStaff && (
          <Descriptions.Item label={t("ticket.tags")}>
            <Select
              aria-label={t("ticket.tags")}
              mode="tags"
              style={{ width: "100%" }}
              value={ticket.tags}
              disabled={!editable}
              onChange={(tags) => change({ tags })}
            />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t("tickets.channel")}>{t(`channel.${ticket.channel}`)}</Descriptions.Item>
      </Descriptions>
      <TicketFieldsForm ticket={ticket} editable={editable} onConflict={(changes) => setConflict({ changes })} />
      {isStaff && <TransferDialog ticket={ticket} open={transferring} onClose={() => setTransferring(false)} />}
    </div>
  );
}
