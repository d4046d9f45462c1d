import type { StaffMember } from "@loopdesk/contracts/staff";
import { useMutation } from "@tanstack/react-query";
import { App, Button, Checkbox, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useList, useSave } from "./admin-api";
import { EditModal } from "./EditModal";
import { useAuthOptions } from "../auth/auth-options";

type Named = { id: number; name: string };
type Values = {
  email?: string;
  name: string;
  role: StaffMember["role"];
  password?: string;
  departmentIds: number[];
  teamIds: number[];
  skills: { skillId: number; level: number }[];
  active?: boolean;
  invite?: boolean;
};

const randomPassword = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[b % 56]).join("");

/** Staff: invite (with a first password to hand over), roles, departments, teams, skills, deactivate. */
export function StaffAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const staff = useList<StaffMember>("/staff");
  const departments = useList<Named>("/departments");
  const teams = useList<Named>("/teams");
  const skills = useList<Named>("/skills");
  const [editing, setEditing] = useState<StaffMember | "new" | null>(null);
  const [form] = Form.useForm<Values>();
  const save = useSave<StaffMember>("/staff", { form, onDone: () => setEditing(null), also: ["teams"] });
  const options = useAuthOptions();
  const invite = Form.useWatch("invite", form) as boolean | undefined;
  const resend = useMutation({
    mutationFn: (id: number) => api(`/staff/${id}/invitation`, { method: "POST" }),
    onSuccess: () => void message.success(t("admin.staff.invitationSent")),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const resetTwoFactor = useMutation({
    mutationFn: (id: number) => api(`/staff/${id}/two-factor`, { method: "DELETE" }),
    onSuccess: () => void message.success(t("admin.staff.twoFactorReset")),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const signOut = useMutation({
    mutationFn: (id: number) => api(`/staff/${id}/sessions`, { method: "DELETE" }),
    onSuccess: () => void message.success(t("admin.staff.signedOut")),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const names = (list: Named[] | undefined, ids: number[]) => ids.map((id) => list?.find((x) => x.id === id)?.name ?? `#${id}`);
  const open = (s: StaffMember | "new") => {
    setEditing(s);
    form.resetFields();
    form.setFieldsValue(
      s === "new"
        ? { role: "agent", departmentIds: [], teamIds: [], skills: [], password: randomPassword(), invite: !!options.data?.mail }
        : { ...s, skills: s.skills.map((k) => ({ skillId: k.skillId, level: k.level })), password: undefined },
    );
  };
  // Opened before the sign-in options arrived (a quick click on a slow line), the new colleague's form
  // takes whether mail can carry an invitation once they do, unless the admin chose already.
  const mail = options.data ? !!options.data.mail : undefined;
  useEffect(() => {
    if (editing === "new" && mail !== undefined && !form.isFieldTouched("invite")) form.setFieldValue("invite", mail);
  }, [editing, mail, form]);
  const onFinish = (v: Values) => {
    const isNew = editing === "new";
    const { email, password, invite: byMail, ...rest } = v;
    save.mutate({
      id: isNew ? undefined : (editing as StaffMember).id,
      body: isNew ? { ...rest, email, ...(byMail ? { invite: true } : { password }) } : { ...rest, ...(password ? { password } : {}) },
    });
  };
  return (
    <>
      <Button type="primary" onClick={() => open("new")} style={{ marginBottom: 12 }}>
        {t("admin.staff.invite")}
      </Button>
      <Table<StaffMember>
        rowKey="id"
        size="small"
        loading={staff.isLoading}
        dataSource={staff.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { title: t("admin.staff.name"), dataIndex: "name" },
          { title: t("admin.staff.email"), dataIndex: "email" },
          { title: t("admin.staff.role"), dataIndex: "role", render: (r: string) => t(`role.${r}`) },
          {
            title: t("admin.staff.departments"),
            dataIndex: "departmentIds",
            render: (ids: number[]) => names(departments.data, ids).join(t("common.listSep")),
          },
          {
            title: t("admin.staff.skills"),
            dataIndex: "skills",
            render: (list: StaffMember["skills"]) => list.map((k) => <Tag key={k.skillId}>{`${k.name} ${k.level}`}</Tag>),
          },
          {
            title: t("admin.staff.active"),
            dataIndex: "active",
            render: (a: boolean, s) =>
              !a ? (
                <Tag color="red">{t("admin.staff.deactivated")}</Tag>
              ) : s.hasPassword ? (
                t("common.yes")
              ) : (
                <Tag color="orange">{t("admin.staff.invited")}</Tag>
              ),
          },
          {
            title: t("common.actions"),
            key: "edit",
            render: (_: unknown, s) => (
              <Space>
                <Button onClick={() => open(s)}>{t("common.edit")}</Button>
                {options.data?.mail && s.active && !s.hasPassword && (
                  <Button onClick={() => resend.mutate(s.id)} loading={resend.isPending && resend.variables === s.id}>
                    {t("admin.staff.resendInvitation")}
                  </Button>
                )}
                {s.hasPassword && (
                  <Popconfirm title={t("admin.staff.signOutConfirm", { name: s.name })} onConfirm={() => signOut.mutate(s.id)}>
                    <Button>{t("admin.staff.signOut")}</Button>
                  </Popconfirm>
                )}
                {s.hasPassword && (
                  <Popconfirm
                    title={t("admin.staff.resetTwoFactorConfirm", { name: s.name })}
                    onConfirm={() => resetTwoFactor.mutate(s.id)}
                  >
                    <Button>{t("admin.staff.resetTwoFactor")}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.staff.invite") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form name="staff" form={form} layout="vertical" onFinish={onFinish}>
          {editing === "new" && (
            <Form.Item name="email" label={t("admin.staff.email")} rules={[{ required: true, type: "email", message: t("form.invalid") }]}>
              <Input />
            </Form.Item>
          )}
          <Form.Item name="name" label={t("admin.staff.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="role" label={t("admin.staff.role")}>
            <Select options={["agent", "supervisor", "admin"].map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
          {editing === "new" && options.data?.mail && (
            <Form.Item name="invite" valuePropName="checked">
              <Checkbox>{t("admin.staff.sendInvitation")}</Checkbox>
            </Form.Item>
          )}
          {!(editing === "new" && invite) && (
            <Form.Item
              name="password"
              label={editing === "new" ? t("admin.staff.firstPassword") : t("admin.staff.newPassword")}
              extra={editing === "new" ? t("admin.staff.firstPasswordHelp") : undefined}
              rules={[{ required: editing === "new", min: 8, message: t("admin.staff.passwordRule") }]}
            >
              <Input.Password visibilityToggle autoComplete="new-password" />
            </Form.Item>
          )}
          <Form.Item name="departmentIds" label={t("admin.staff.departments")}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
          <Form.Item name="teamIds" label={t("admin.staff.teams")}>
            <Select mode="multiple" optionFilterProp="label" options={(teams.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.List name="skills">
            {(fields, { add, remove }) => (
              <Form.Item label={t("admin.staff.skills")}>
                {fields.map((f) => (
                  <Space key={f.key} style={{ display: "flex", marginBottom: 4 }}>
                    <Form.Item name={[f.name, "skillId"]} noStyle rules={[{ required: true }]}>
                      <Select style={{ width: 180 }} options={(skills.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, "level"]} noStyle initialValue={3}>
                      <InputNumber min={1} max={5} aria-label={t("admin.staff.level")} />
                    </Form.Item>
                    <Button onClick={() => remove(f.name)}>{t("common.delete")}</Button>
                  </Space>
                ))}
                <Button onClick={() => add({ level: 3 })}>{t("admin.staff.addSkill")}</Button>
              </Form.Item>
            )}
          </Form.List>
          {editing !== "new" && (
            <Form.Item name="active" label={t("admin.staff.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
      </EditModal>
    </>
  );
}
