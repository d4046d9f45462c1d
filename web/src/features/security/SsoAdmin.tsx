import type { SsoSettings } from "@loopdesk/contracts/sso";
import { staffRoles } from "@loopdesk/contracts/sso";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Radio, Select, Space, Switch, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { useNamed, useStaff } from "../tickets/ticket-api";

type Values = Omit<SsoSettings, "oidc" | "ldap"> & {
  oidc: SsoSettings["oidc"] & { clientSecret?: string };
  ldap: SsoSettings["ldap"] & { bindPassword?: string };
};

/** 单点登录: an OpenID Connect provider (WeCom, DingTalk, Feishu, any corporate IdP), LDAP/AD, group mappings and the password policy. */
export function SsoAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const settings = useQuery({ queryKey: ["sso-settings"], queryFn: () => api<SsoSettings>("/sso/settings") });
  const departments = useNamed("/departments");
  const staff = useStaff(true);
  useEffect(() => {
    if (settings.data)
      form.setFieldsValue({
        ...settings.data,
        oidc: { ...settings.data.oidc, clientSecret: "" },
        ldap: { ...settings.data.ldap, bindPassword: "" },
      });
  }, [form, settings.data]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      api<SsoSettings>("/sso/settings", {
        method: "PATCH",
        body: {
          oidc: {
            enabled: v.oidc.enabled,
            name: v.oidc.name ?? "",
            issuer: v.oidc.issuer || null,
            clientId: v.oidc.clientId || null,
            ...(v.oidc.clientSecret ? { clientSecret: v.oidc.clientSecret } : {}),
            scopes: v.oidc.scopes,
            groupsClaim: v.oidc.groupsClaim,
          },
          ldap: {
            enabled: v.ldap.enabled,
            url: v.ldap.url || null,
            bindDn: v.ldap.bindDn || null,
            ...(v.ldap.bindPassword ? { bindPassword: v.ldap.bindPassword } : {}),
            baseDn: v.ldap.baseDn || null,
            userFilter: v.ldap.userFilter,
            groupBaseDn: v.ldap.groupBaseDn || null,
            groupFilter: v.ldap.groupFilter,
          },
          groupMappings: (v.groupMappings ?? []).map((m) => ({ ...m, departmentIds: m.departmentIds ?? [] })),
          jit: v.jit,
          defaultRole: v.defaultRole ?? null,
          passwordSignIn: v.passwordSignIn,
          breakGlassStaffIds: v.breakGlassStaffIds ?? [],
        },
      }),
    onSuccess: (saved) => {
      void message.success(t("common.saved"));
      qc.setQueryData(["sso-settings"], saved);
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
  });
  const roleOptions = staffRoles.map((r) => ({ value: r, label: t(`role.${r}`) }));
  const admins = (staff.data ?? []).filter((s) => s.role === "admin" && s.active);
  return (
    <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 860 }}>
      <Card size="small" title={t("sso.oidc.title")}>
        <Typography.Paragraph type="secondary">{t("sso.oidc.help")}</Typography.Paragraph>
        <Form.Item name={["oidc", "enabled"]} label={t("sso.enabled")} valuePropName="checked">
          <Switch aria-label={t("sso.oidc.title")} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name={["oidc", "name"]} label={t("sso.oidc.name")} extra={t("sso.oidc.nameHelp")}>
            <Input style={{ width: 240 }} placeholder="企业微信" />
          </Form.Item>
          <Form.Item name={["oidc", "issuer"]} label={t("sso.oidc.issuer")}>
            <Input style={{ width: 380 }} placeholder="https://idp.example.com" />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name={["oidc", "clientId"]} label={t("sso.oidc.clientId")}>
            <Input style={{ width: 240 }} />
          </Form.Item>
          <Form.Item
            name={["oidc", "clientSecret"]}
            label={t("sso.oidc.clientSecret")}
            extra={settings.data?.oidc.hasClientSecret ? t("sso.secretSet") : t("sso.noSecret")}
          >
            <Input.Password style={{ width: 240 }} autoComplete="new-password" />
          </Form.Item>
          <Form.Item name={["oidc", "scopes"]} label={t("sso.oidc.scopes")}>
            <Input style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name={["oidc", "groupsClaim"]} label={t("sso.oidc.groupsClaim")}>
            <Input style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Typography.Paragraph>
          {t("sso.oidc.redirectUri")}{" "}
          <Typography.Text code copyable>
            {settings.data?.oidc.redirectUri}
          </Typography.Text>
        </Typography.Paragraph>
      </Card>

      <Card size="small" title={t("sso.ldap.title")} style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary">{t("sso.ldap.help")}</Typography.Paragraph>
        <Form.Item name={["ldap", "enabled"]} label={t("sso.enabled")} valuePropName="checked">
          <Switch aria-label={t("sso.ldap.title")} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name={["ldap", "url"]} label={t("sso.ldap.url")}>
            <Input style={{ width: 300 }} placeholder="ldaps://dc1.corp.example.com" />
          </Form.Item>
          <Form.Item name={["ldap", "baseDn"]} label={t("sso.ldap.baseDn")}>
            <Input style={{ width: 300 }} placeholder="ou=people,dc=corp,dc=example,dc=com" />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name={["ldap", "bindDn"]} label={t("sso.ldap.bindDn")}>
            <Input style={{ width: 300 }} />
          </Form.Item>
          <Form.Item
            name={["ldap", "bindPassword"]}
            label={t("sso.ldap.bindPassword")}
            extra={settings.data?.ldap.hasBindPassword ? t("sso.secretSet") : t("sso.noSecret")}
          >
            <Input.Password style={{ width: 300 }} autoComplete="new-password" />
          </Form.Item>
        </Space>
        <Form.Item
          name={["ldap", "userFilter"]}
          label={t("sso.ldap.userFilter")}
          extra={t("sso.ldap.userFilterHelp", { login: "{{login}}" })}
        >
          <Input />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name={["ldap", "groupBaseDn"]} label={t("sso.ldap.groupBaseDn")}>
            <Input style={{ width: 300 }} placeholder="ou=groups,dc=corp,dc=example,dc=com" />
          </Form.Item>
          <Form.Item name={["ldap", "groupFilter"]} label={t("sso.ldap.groupFilter")}>
            <Input style={{ width: 300 }} />
          </Form.Item>
        </Space>
      </Card>

      <Card size="small" title={t("sso.mappings.title")} style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary">{t("sso.mappings.help")}</Typography.Paragraph>
        <Form.List name="groupMappings">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start">
                  <Form.Item name={[f.name, "group"]} rules={[{ required: true, message: t("sso.mappings.groupRequired") }]}>
                    <Input style={{ width: 240 }} placeholder={t("sso.mappings.group")} aria-label={t("sso.mappings.group")} />
                  </Form.Item>
                  <Form.Item name={[f.name, "role"]} initialValue="agent">
                    <Select style={{ width: 120 }} options={roleOptions} aria-label={t("sso.mappings.role")} />
                  </Form.Item>
                  <Form.Item name={[f.name, "departmentIds"]}>
                    <Select
                      mode="multiple"
                      allowClear
                      optionFilterProp="label"
                      style={{ width: 280 }}
                      placeholder={t("sso.mappings.departments")}
                      aria-label={t("sso.mappings.departments")}
                      options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                    />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(f.name)}>
                    {t("common.delete")}
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ role: "agent", departmentIds: [] })}>{t("sso.mappings.add")}</Button>
            </>
          )}
        </Form.List>
        <Space wrap align="start" style={{ marginTop: 16 }}>
          <Form.Item name="jit" label={t("sso.jit")} valuePropName="checked" extra={t("sso.jitHelp")}>
            <Switch aria-label={t("sso.jit")} />
          </Form.Item>
          <Form.Item name="defaultRole" label={t("sso.defaultRole")} extra={t("sso.defaultRoleHelp")}>
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t("sso.noDefaultRole")}
              options={roleOptions}
              aria-label={t("sso.defaultRole")}
            />
          </Form.Item>
        </Space>
      </Card>

      <Card size="small" title={t("sso.passwords.title")} style={{ marginTop: 16 }}>
        <Form.Item name="passwordSignIn">
          <Radio.Group
            options={[
              { value: "all", label: t("sso.passwords.all") },
              { value: "break_glass", label: t("sso.passwords.breakGlass") },
            ]}
          />
        </Form.Item>
        <Form.Item name="breakGlassStaffIds" label={t("sso.passwords.breakGlassStaff")} extra={t("sso.passwords.breakGlassHelp")}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            aria-label={t("sso.passwords.breakGlassStaff")}
            options={admins.map((s) => ({ value: s.id, label: `${s.name} · ${s.email}` }))}
          />
        </Form.Item>
      </Card>
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 16 }} data-testid="sso-save">
        {t("common.save")}
      </Button>
    </Form>
  );
}
