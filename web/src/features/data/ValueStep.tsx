import type { ImportJob, MappedField, ValueMap } from "@loopdesk/contracts/imports";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useNamed } from "../tickets/ticket-api";
import { type DistinctValues, importErrorText, importKey } from "./import-api";

const STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"];
const PRIORITIES = ["low", "normal", "high", "urgent"];
const CHANNELS = ["email", "portal", "widget", "wecom", "dingtalk", "feishu", "phone", "api"];

export function useSaveMapping(job: ImportJob) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (body: { columns: Record<string, string>; valueMap: ValueMap; options: { runAutomations: boolean }; saveAs?: string }) =>
      api<ImportJob>(`/imports/${job.id}/mapping`, { method: "PUT", body }),
    onSuccess: (saved) => qc.setQueryData(importKey(job.id), saved),
    onError: (e) => void message.error(importErrorText(t, e)),
  });
}

/** 值映射: their words (statuses, priorities, agents, departments…) to ours; unknown ones marked. */
export function ValueStep({ job, onBack, onNext }: { job: ImportJob; onBack?: () => void; onNext: () => void }) {
  // Another helpdesk's words come from its settings, not counted rows.
  const counted = job.source === "spreadsheet";
  const { t } = useTranslation();
  const values = useQuery({
    queryKey: ["import-values", job.id, job.columns],
    queryFn: () => api<DistinctValues>(`/imports/${job.id}/values`),
  });
  const categories = useNamed("/categories");
  const departments = useNamed("/departments");
  const staff = useNamed("/staff");
  const [map, setMap] = useState<ValueMap>(job.valueMap);
  const save = useSaveMapping(job);
  const choices = (field: MappedField): { value: string | number; label: string }[] => {
    if (field === "status") return STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }));
    if (field === "priority") return PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }));
    if (field === "channel") return CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }));
    const list = field === "category" ? categories.data : field === "department" ? departments.data : staff.data;
    return (list ?? []).map((x) => ({ value: x.id, label: x.name }));
  };
  const fields = (Object.keys(values.data ?? {}) as MappedField[]).filter((f) => values.data?.[f]?.length);
  const unknown = fields.reduce(
    (n, f) => n + (values.data?.[f] ?? []).filter((v) => !v.known && map[f]?.[v.value] === undefined).length,
    0,
  );
  return (
    <Card size="small" title={t(counted ? "imports.valuesTitle" : "helpdeskImport.valuesTitle")} loading={values.isLoading}>
      {fields.length === 0 && <Typography.Paragraph type="secondary">{t("imports.noValuesToMap")}</Typography.Paragraph>}
      {unknown > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(counted ? "imports.unknownValues" : "helpdeskImport.unknownValues", { count: unknown })}
        />
      )}
      {fields.map((field) => (
        <div key={field} style={{ marginBottom: 16 }}>
          <Typography.Text strong>{t(`imports.fields.${field}`)}</Typography.Text>
          <Table
            rowKey="value"
            size="small"
            pagination={false}
            dataSource={values.data?.[field] ?? []}
            columns={[
              {
                title: t(counted ? "imports.theirValue" : "helpdeskImport.theirValue"),
                render: (_, v) => (
                  <Space>
                    <span>{v.value}</span>
                    {!v.known && map[field]?.[v.value] === undefined && <Tag color="orange">{t("imports.unknown")}</Tag>}
                  </Space>
                ),
              },
              ...(counted ? [{ title: t("imports.rows"), dataIndex: "rows", width: 80 }] : []),
              {
                title: t("imports.ourValue"),
                width: 260,
                render: (_, v) => (
                  <Select
                    style={{ width: "100%" }}
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    aria-label={`${field}:${v.value}`}
                    placeholder={t("imports.leaveEmpty")}
                    value={map[field]?.[v.value] ?? v.mapped ?? undefined}
                    options={choices(field)}
                    onChange={(chosen) => setMap({ ...map, [field]: { ...(map[field] ?? {}), [v.value]: chosen ?? null } })}
                  />
                ),
              },
            ]}
          />
        </div>
      ))}
      <Space>
        {onBack && <Button onClick={onBack}>{t("imports.back")}</Button>}
        <Button
          type="primary"
          loading={save.isPending}
          data-testid="import-values-next"
          onClick={() => save.mutate({ columns: job.columns, valueMap: map, options: job.options }, { onSuccess: onNext })}
        >
          {t("imports.next")}
        </Button>
      </Space>
    </Card>
  );
}
