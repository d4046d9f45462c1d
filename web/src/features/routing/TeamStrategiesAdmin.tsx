import { routingStrategies } from "@loopdesk/contracts/routing";
import { Card, InputNumber, Select, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useList, useSave } from "../admin/admin-api";

type TeamRouting = {
  teamId: number;
  name: string;
  strategy: string;
  claimTimeoutMinutes: number;
  fallbackTeamId: number | null;
  presenceMode: "manual" | "sign_in" | "shift";
  memberIds: number[];
};

/** 团队策略: each team's assignment strategy, claim timeout and fallback team (saved as changed). */
export function TeamStrategiesAdmin({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const teams = useList<TeamRouting>("/routing/teams");
  const save = useSave("/routing/teams", { listDetails: true });
  const patch = (id: number, body: Record<string, unknown>) => save.mutate({ id, body });
  return (
    <Card title={t("routing.teamsTitle")}>
      <Typography.Paragraph type="secondary">{t("routing.teamsHelp")}</Typography.Paragraph>
      <Table<TeamRouting>
        rowKey="teamId"
        size="small"
        pagination={false}
        data-testid="team-strategies"
        dataSource={teams.data ?? []}
        scroll={{ x: 840 }}
        columns={[
          { title: t("routing.team"), dataIndex: "name" },
          { title: t("routing.members"), dataIndex: "memberIds", render: (ids: number[]) => ids.length },
          {
            title: t("routing.strategy"),
            dataIndex: "strategy",
            render: (s: string, team) => (
              <Select
                disabled={readOnly}
                data-testid={`strategy-${team.teamId}`}
                value={s}
                style={{ width: 150 }}
                onChange={(v) => patch(team.teamId, { strategy: v })}
                options={routingStrategies.map((x) => ({ value: x, label: t(`routing.strategies.${x}`) }))}
              />
            ),
          },
          {
            title: t("routing.claimTimeout"),
            dataIndex: "claimTimeoutMinutes",
            render: (m: number, team) => (
              <InputNumber
                disabled={readOnly || team.strategy !== "claim"}
                min={1}
                max={1440}
                defaultValue={m}
                onBlur={(e) => {
                  const v = Number(e.target.value);
                  if (v && v !== m) patch(team.teamId, { claimTimeoutMinutes: v });
                }}
              />
            ),
          },
          {
            title: t("routing.presenceMode"),
            dataIndex: "presenceMode",
            render: (m: TeamRouting["presenceMode"], team) => (
              <Select
                disabled={readOnly}
                data-testid={`presence-mode-${team.teamId}`}
                value={m}
                style={{ width: 180 }}
                onChange={(v) => patch(team.teamId, { presenceMode: v })}
                options={(["manual", "sign_in", "shift"] as const).map((x) => ({ value: x, label: t(`routing.presenceModes.${x}`) }))}
              />
            ),
          },
          {
            title: t("routing.fallbackTeam"),
            dataIndex: "fallbackTeamId",
            render: (f: number | null, team) => (
              <Select
                disabled={readOnly}
                allowClear
                value={f ?? undefined}
                style={{ width: 160 }}
                onChange={(v) => patch(team.teamId, { fallbackTeamId: v ?? null })}
                options={(teams.data ?? []).filter((x) => x.teamId !== team.teamId).map((x) => ({ value: x.teamId, label: x.name }))}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
