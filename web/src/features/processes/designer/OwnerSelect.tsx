import type { StepOwner } from "@loopdesk/contracts/processes";
import { Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { useNamed, useStaff } from "../../tickets/ticket-api";

const TYPES = ["department", "team", "role", "staff", "assignee", "customer"] as const;

/** Who holds a step: a department, a team, a role (in a department), a named person, the ticket's assignee, or the customer. */
export function OwnerSelect({
  value,
  onChange,
  allowCustomer = true,
}: {
  value: StepOwner;
  onChange: (o: StepOwner) => void;
  allowCustomer?: boolean;
}) {
  const { t } = useTranslation();
  const departments = useNamed("/departments");
  const teams = useNamed("/teams");
  const staff = useStaff(true);
  const deps = (departments.data ?? []).map((d) => ({ value: d.id, label: d.name }));
  const first = (list: { value: number }[]) => list[0]?.value ?? 0;
  const change = (type: StepOwner["type"]) => {
    if (type === "department") onChange({ type, departmentId: first(deps) });
    else if (type === "team") onChange({ type, teamId: first((teams.data ?? []).map((x) => ({ value: x.id }))) });
    else if (type === "role") onChange({ type, role: "supervisor", departmentId: null });
    else if (type === "staff") onChange({ type, staffId: first((staff.data ?? []).map((x) => ({ value: x.id }))) });
    else onChange({ type });
  };
  return (
    <Space.Compact style={{ width: "100%" }}>
      <Select
        aria-label={t("designer.ownerType")}
        style={{ width: 130 }}
        value={value.type}
        onChange={change}
        options={TYPES.filter((x) => allowCustomer || x !== "customer").map((x) => ({ value: x, label: t(`designer.owner.${x}`) }))}
      />
      {value.type === "department" && (
        <Select
          style={{ flex: 1 }}
          aria-label={t("designer.owner.department")}
          value={value.departmentId}
          options={deps}
          onChange={(departmentId) => onChange({ type: "department", departmentId })}
        />
      )}
      {value.type === "team" && (
        <Select
          style={{ flex: 1 }}
          aria-label={t("designer.owner.team")}
          value={value.teamId}
          options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          onChange={(teamId) => onChange({ type: "team", teamId })}
        />
      )}
      {value.type === "staff" && (
        <Select
          style={{ flex: 1 }}
          showSearch
          optionFilterProp="label"
          aria-label={t("designer.owner.staff")}
          value={value.staffId}
          options={(staff.data ?? []).filter((s) => s.active).map((x) => ({ value: x.id, label: x.name }))}
          onChange={(staffId) => onChange({ type: "staff", staffId })}
        />
      )}
      {value.type === "role" && (
        <>
          <Select
            style={{ width: 90 }}
            aria-label={t("designer.owner.role")}
            value={value.role}
            options={(["supervisor", "admin"] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(role) => onChange({ ...value, role })}
          />
          <Select
            style={{ flex: 1 }}
            aria-label={t("designer.owner.department")}
            value={value.departmentId ?? 0}
            options={[{ value: 0, label: t("process.holder.anyDepartment") }, ...deps]}
            onChange={(d) => onChange({ ...value, departmentId: d === 0 ? null : d })}
          />
        </>
      )}
    </Space.Compact>
  );
}
