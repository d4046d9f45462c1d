import { Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { AgentStatesAdmin } from "./AgentStatesAdmin";
import { CategorySkillsAdmin } from "./CategorySkillsAdmin";
import { PrioritySettingsAdmin } from "./PrioritySettingsAdmin";
import { RoutingRulesAdmin } from "./RoutingRulesAdmin";
import { TeamStrategiesAdmin } from "./TeamStrategiesAdmin";

/** 分配设置: admins set rules, strategies, required skills and the score; supervisors also plan shifts and capacities. */
export function RoutingAdmin() {
  const { t } = useTranslation();
  const { user } = useSession();
  const readOnly = !(user?.kind === "staff" && user.role === "admin");
  return (
    <Tabs
      items={[
        { key: "rules", label: t("routing.tabs.rules"), children: <RoutingRulesAdmin /> },
        { key: "teams", label: t("routing.tabs.teams"), children: <TeamStrategiesAdmin readOnly={readOnly} /> },
        { key: "agents", label: t("routing.tabs.agents"), children: <AgentStatesAdmin /> },
        { key: "skills", label: t("routing.tabs.skills"), children: <CategorySkillsAdmin readOnly={readOnly} /> },
        { key: "priority", label: t("routing.tabs.priority"), children: <PrioritySettingsAdmin readOnly={readOnly} /> },
      ]}
    />
  );
}
