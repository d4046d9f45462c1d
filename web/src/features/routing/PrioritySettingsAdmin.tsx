import type { PriorityConfig } from "@loopdesk/contracts/routing";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Typography } from "antd";
import { type ReactNode, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useList } from "../admin/admin-api";
import { FormRows } from "../admin/FormRows";

type Settings = { defaultTeamId: number | null; priority: PriorityConfig };
type Named = { id: number; name: string };
type FormValues = Omit<PriorityConfig, "categories"> & {
  defaultTeamId?: number | null;
  categories: { categoryId: number; points: number }[];
};

/** 默认团队 and the priority score's points (tier, priority, category, urgency words, SLA bands). */
export function PrioritySettingsAdmin({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ["routing", "settings"], queryFn: () => api<Settings>("/routing/settings") });
  const teams = useList<Named>("/teams");
  const categories = useList<Named>("/categories");
  const [form] = Form.useForm<FormValues>();
  useEffect(() => {
    if (!settings.data) return;
    const p = settings.data.priority;
    form.setFieldsValue({
      ...p,
      defaultTeamId: settings.data.defaultTeamId,
      categories: Object.entries(p.categories).map(([categoryId, points]) => ({ categoryId: Number(categoryId), points })),
    });
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      api("/routing/settings", {
        method: "PATCH",
        body: {
          defaultTeamId: v.defaultTeamId ?? null,
          priority: {
            tiers: v.tiers,
            priorities: v.priorities,
            urgencyWords: v.urgencyWords ?? [],
            slaBands: v.slaBands ?? [],
            categories: Object.fromEntries((v.categories ?? []).map((c) => [String(c.categoryId), c.points])),
          },
        },
      }),
    onSuccess: () => void message.success(t("common.saved")),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["routing", "settings"] }),
  });
  const points = (group: "tiers" | "priorities", keys: readonly string[], label: (k: string) => string) => (
    <Space wrap>
      {keys.map((k) => (
        <Form.Item key={k} name={[group, k]} label={label(k)}>
          <InputNumber min={-1000} max={1000} style={{ width: 90 }} />
        </Form.Item>
      ))}
    </Space>
  );
  return (
    <Card title={t("routing.priorityTitle")}>
      <Typography.Paragraph type="secondary">{t("routing.priorityHelp")}</Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" name="routing-settings" disabled={readOnly} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="defaultTeamId" label={t("routing.defaultTeam")} extra={t("routing.defaultTeamHelp")}>
          <Select allowClear style={{ width: 220 }} options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Typography.Title level={5}>{t("routing.parts.tier")}</Typography.Title>
        {points("tiers", ["normal", "silver", "gold", "vip"], (k) => t(`tier.${k}`))}
        <Typography.Title level={5}>{t("routing.parts.priority")}</Typography.Title>
        {points("priorities", ["low", "normal", "high", "urgent"], (k) => t(`priority.${k}`))}
        <PairList
          name="categories"
          title={t("routing.parts.category")}
          add={{ points: 10 }}
          first={<Select style={{ width: 180 }} options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />}
          firstName="categoryId"
        />
        <PairList
          name="urgencyWords"
          title={t("routing.parts.urgency")}
          add={{ word: "", points: 10 }}
          first={<Input style={{ width: 180 }} maxLength={30} />}
          firstName="word"
        />
        <PairList
          name="slaBands"
          title={t("routing.slaBands")}
          add={{ minutesLeft: 60, points: 10 }}
          first={<InputNumber min={0} addonAfter={t("routing.minutesLeft")} />}
          firstName="minutesLeft"
        />
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
      </Form>
    </Card>
  );
}

/** A list of (something → points) rows. */
function PairList({
  name,
  title,
  add,
  first,
  firstName,
}: {
  name: string;
  title: string;
  add: Record<string, unknown>;
  first: ReactNode;
  firstName: string;
}) {
  const { t } = useTranslation();
  const required = [{ required: true, message: t("form.invalid") }];
  return (
    <FormRows name={name} label={title} addLabel={t("routing.addRow")} initial={add}>
      {(row) => (
        <>
          <Form.Item name={[row, firstName]} rules={required}>
            {first}
          </Form.Item>
          <Form.Item name={[row, "points"]} rules={required}>
            <InputNumber min={-1000} max={1000} addonAfter={t("routing.points")} />
          </Form.Item>
        </>
      )}
    </FormRows>
  );
}
