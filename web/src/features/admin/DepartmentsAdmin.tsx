import type { StaffMember } from "@loopdesk/contracts/staff";
import { Button, Card, Form, Input, Select, Table, Switch } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList, useSave } from "./admin-api";
import { EditModal } from "./EditModal";
import { toTree } from "./tree";

type Department = { id: number; name: string; parentId: number | null; solveRequiresReply: boolean };
type Team = { id: number; name: string; departmentId: number; memberIds: number[] };

/** The department hierarchy and the teams inside each department, with their members. */
export function DepartmentsAdmin() {
  const { t } = useTranslation();
  const departments = useList<Department>("/departments");
  const teams = useList<Team>("/teams");
  const staff = useList<StaffMember>("/staff");
  const [dep, setDep] = useState<Department | "new" | null>(null);
  const [team, setTeam] = useState<Team | "new" | null>(null);
  const [depForm] = Form.useForm();
  const [teamForm] = Form.useForm();
  const saveDep = useSave<Department>("/departments", { form: depForm, onDone: () => setDep(null) });
  const saveTeam = useSave<Team>("/teams", { form: teamForm, onDone: () => setTeam(null), also: ["staff"] });
  const depName = (id: number | null) => departments.data?.find((d) => d.id === id)?.name ?? "—";
  const staffName = (id: number) => staff.data?.find((s) => s.id === id)?.name ?? `#${id}`;
  const depOptions = (departments.data ?? []).map((d) => ({ value: d.id, label: d.name }));
  return (
    <>
      <Card
        size="small"
        title={t("admin.departments.title")}
        extra={
          <Button
            onClick={() => {
              setDep("new");
              depForm.resetFields();
            }}
          >
            {t("admin.departments.add")}
          </Button>
        }
      >
        <Table<Department>
          rowKey="id"
          size="small"
          pagination={false}
          loading={departments.isLoading}
          dataSource={toTree(departments.data ?? [])}
          expandable={{ defaultExpandAllRows: true }}
          columns={[
            { title: t("admin.departments.name"), dataIndex: "name" },
            {
              title: t("common.actions"),
              key: "edit",
              width: 120,
              render: (_: unknown, d) => (
                <Button
                  onClick={() => {
                    setDep(d);
                    depForm.setFieldsValue({ name: d.name, parentId: d.parentId, solveRequiresReply: d.solveRequiresReply });
                  }}
                >
                  {t("common.edit")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t("admin.teams.title")}
        style={{ marginTop: 16 }}
        extra={
          <Button
            onClick={() => {
              setTeam("new");
              teamForm.resetFields();
            }}
          >
            {t("admin.teams.add")}
          </Button>
        }
      >
        <Table<Team>
          rowKey="id"
          size="small"
          pagination={false}
          loading={teams.isLoading}
          dataSource={teams.data ?? []}
          scroll={{ x: 600 }}
          columns={[
            { title: t("admin.teams.name"), dataIndex: "name" },
            { title: t("admin.teams.department"), dataIndex: "departmentId", render: depName },
            {
              title: t("admin.teams.members"),
              dataIndex: "memberIds",
              render: (ids: number[]) => ids.map(staffName).join(t("common.listSep")),
            },
            {
              title: t("common.actions"),
              key: "edit",
              width: 120,
              render: (_: unknown, x) => (
                <Button
                  onClick={() => {
                    setTeam(x);
                    teamForm.setFieldsValue(x);
                  }}
                >
                  {t("common.edit")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <EditModal
        open={dep !== null}
        title={dep === "new" ? t("admin.departments.add") : t("common.edit")}
        form={depForm}
        saving={saveDep.isPending}
        onClose={() => setDep(null)}
      >
        <Form
          name="department"
          form={depForm}
          layout="vertical"
          onFinish={(v) =>
            saveDep.mutate({
              id: dep === "new" ? undefined : dep?.id,
              body: { name: v.name, parentId: v.parentId ?? null, solveRequiresReply: v.solveRequiresReply ?? true },
            })
          }
        >
          <Form.Item
            name="name"
            label={t("admin.departments.name")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="parentId" label={t("admin.departments.parent")}>
            <Select allowClear options={depOptions.filter((o) => dep === "new" || o.value !== dep?.id)} />
          </Form.Item>
          <Form.Item
            name="solveRequiresReply"
            label={t("admin.departments.solveRequiresReply")}
            extra={t("admin.departments.solveRequiresReplyHelp")}
            valuePropName="checked"
            initialValue={true}
          >
            <Switch />
          </Form.Item>
        </Form>
      </EditModal>
      <EditModal
        open={team !== null}
        title={team === "new" ? t("admin.teams.add") : t("common.edit")}
        form={teamForm}
        saving={saveTeam.isPending}
        onClose={() => setTeam(null)}
      >
        <Form
          name="team"
          form={teamForm}
          layout="vertical"
          onFinish={(v) => saveTeam.mutate({ id: team === "new" ? undefined : team?.id, body: v })}
        >
          <Form.Item name="name" label={t("admin.teams.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="departmentId" label={t("admin.teams.department")} rules={[{ required: true, message: t("form.invalid") }]}>
            <Select options={depOptions} />
          </Form.Item>
          <Form.Item name="memberIds" label={t("admin.teams.members")} initialValue={[]}>
            <Select mode="multiple" optionFilterProp="label" options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
        </Form>
      </EditModal>
    </>
  );
}
