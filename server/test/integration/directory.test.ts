import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let agent: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
});
afterAll(() => t.close());

describe("departments, teams, skills and staff", () => {
  it("builds a department hierarchy and refuses cycles", async () => {
    const top = (await admin.post("/api/v1/departments", { name: "客户服务中心" })).json();
    const child = (await admin.post("/api/v1/departments", { name: "售后服务", parentId: top.id })).json();
    expect(child.parentId).toBe(top.id);
    const cycle = await admin.patch(`/api/v1/departments/${top.id}`, { parentId: child.id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details[0].code).toBe("cycle");
    expect((await admin.post("/api/v1/departments", { name: "x", parentId: 999999 })).statusCode).toBe(400);
    const list = (await agent.get("/api/v1/departments")).json().items;
    expect(list.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(["客户服务中心", "售后服务"]));
  });

  it("creates staff with departments, teams and skill levels; email is unique", async () => {
    const dep = (await admin.post("/api/v1/departments", { name: "技术支持" })).json();
    const team = (await admin.post("/api/v1/teams", { name: "技术二线", departmentId: dep.id })).json();
    const skill = (await admin.post("/api/v1/skills", { name: "设备维修" })).json();
    const res = await admin.post("/api/v1/staff", {
      email: "Chen.Jing@Example.cn",
      name: "陈静",
      role: "supervisor",
      password: "s3cret-pass",
      departmentIds: [dep.id],
      teamIds: [team.id],
      skills: [{ skillId: skill.id, level: 5 }],
    });
    expect(res.statusCode).toBe(201);
    const staff = res.json();
    expect(staff).toMatchObject({
      email: "chen.jing@example.cn",
      role: "supervisor",
      departmentIds: [dep.id],
      teamIds: [team.id],
      skills: [{ skillId: skill.id, level: 5, name: "设备维修" }],
    });
    expect(JSON.stringify(staff)).not.toContain("s3cret");
    expect((await admin.post("/api/v1/staff", { email: "chen.jing@example.cn", name: "重复", password: "another-pass" })).statusCode).toBe(
      409,
    );
    expect(
      (
        await admin.post("/api/v1/staff", {
          email: "x@example.cn",
          name: "x",
          password: "password1",
          skills: [{ skillId: skill.id, level: 9 }],
        })
      ).statusCode,
    ).toBe(400);
    const signIn = await t.anonymous.post("/api/v1/auth/login", { email: "chen.jing@example.cn", password: "s3cret-pass" });
    expect(signIn.statusCode).toBe(200);
    expect((await agent.get(`/api/v1/teams`)).json().items.find((x: { id: number }) => x.id === team.id).memberIds).toEqual([staff.id]);
  });

  it("keeps categories as a tree", async () => {
    const parent = (await admin.post("/api/v1/categories", { name: "售后" })).json();
    const child = (await admin.post("/api/v1/categories", { name: "退换货", parentId: parent.id })).json();
    expect(child.parentId).toBe(parent.id);
    expect((await admin.patch(`/api/v1/categories/${parent.id}`, { parentId: child.id })).statusCode).toBe(400);
    expect((await admin.patch(`/api/v1/categories/${child.id}`, { active: false })).json().active).toBe(false);
    const customer = await t.factory.customer();
    const asCustomer = await t.signIn(customer.email, PASSWORD, "customer");
    const seen = (await asCustomer.get("/api/v1/categories")).json().items.map((c: { id: number }) => c.id);
    expect(seen).toContain(parent.id);
    expect(seen).not.toContain(child.id);
  });
});

describe("customers and organizations", () => {
  it("one customer across identities; a contact belongs to one customer only", async () => {
    const org = (await agent.post("/api/v1/organizations", { name: "杭州云帆科技", domain: "yunfan.cn" })).json();
    const res = await agent.post("/api/v1/customers", {
      name: "李雷",
      email: "lilei@yunfan.cn",
      phone: "+86 138-0000-0001",
      tier: "vip",
      organizationId: org.id,
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort()).toEqual([
      "email:lilei@yunfan.cn",
      "phone:+8613800000001",
    ]);
    expect((await agent.post("/api/v1/customers", { name: "冒名", email: "LILEI@yunfan.cn" })).statusCode).toBe(409);
    const added = await agent.post(`/api/v1/customers/${c.id}/identities`, { kind: "wechat_openid", value: "oABC123" });
    expect(added.json().identities).toHaveLength(3);
    const ticket = (
      await agent.post("/api/v1/tickets", { subject: "电话来电", channel: "phone", customer: { phone: "+8613800000001" } })
    ).json();
    expect(ticket).toMatchObject({ customerId: c.id, organizationId: org.id, channel: "phone" });
    const found = (await agent.get(`/api/v1/customers?q=${encodeURIComponent("李")}`)).json().items.map((x: { id: number }) => x.id);
    expect(found).toContain(c.id);
    const byEmail = (await agent.get("/api/v1/customers?q=lilei@yunfan.cn")).json().items.map((x: { id: number }) => x.id);
    expect(byEmail).toEqual([c.id]);
    // An agent taking a call types the number as the caller says it: without +86, spaced, or its last digits (尾号).
    for (const q of ["13800000001", "138 0000 0001", "+86 138-0000-0001", "0000001"]) {
      const byPhone = (await agent.get(`/api/v1/customers?q=${encodeURIComponent(q)}`)).json().items.map((x: { id: number }) => x.id);
      expect(byPhone, q).toEqual([c.id]);
    }
  });

  it("validates customer custom fields (select options, types)", async () => {
    expect(
      (
        await admin.post("/api/v1/custom-fields", {
          entity: "customer",
          key: "region",
          label: "地区",
          type: "select",
          options: [{ value: "east", label: "华东" }],
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await admin.post("/api/v1/custom-fields", { entity: "customer", key: "bad", label: "坏", type: "select", options: [] })).statusCode,
    ).toBe(400);
    expect(
      (await admin.post("/api/v1/custom-fields", { entity: "customer", key: "bad_re", label: "坏", type: "text", pattern: "(" }))
        .statusCode,
    ).toBe(400);
    const bad = await agent.post("/api/v1/customers", { name: "王五", email: "ww@example.cn", customFields: { region: "mars" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: "customFields.region", code: "unknown_option" });
    const ok = await agent.post("/api/v1/customers", { name: "王五", email: "ww@example.cn", customFields: { region: "east" } });
    expect(ok.json().customFields).toEqual({ region: "east" });
  });

  it("a PATCH changes only the fields it names (no create defaults sneak in)", async () => {
    const dep = await t.factory.department();
    const sup = await t.factory.staff({ role: "supervisor", departmentIds: [dep.id] });
    const renamed = (await admin.patch(`/api/v1/staff/${sup.id}`, { name: "改名的主管" })).json();
    expect(renamed).toMatchObject({ name: "改名的主管", role: "supervisor", departmentIds: [dep.id] });
    const cat = (await admin.post("/api/v1/categories", { name: "旧分类", position: 7, active: false })).json();
    expect((await admin.patch(`/api/v1/categories/${cat.id}`, { name: "新分类" })).json()).toMatchObject({ position: 7, active: false });
    const field = (
      await admin.post("/api/v1/custom-fields", {
        entity: "ticket",
        key: `f_${cat.id}`,
        label: "型号",
        type: "text",
        required: true,
        position: 3,
      })
    ).json();
    expect((await admin.patch(`/api/v1/custom-fields/${field.id}`, { label: "设备型号" })).json()).toMatchObject({
      required: true,
      position: 3,
    });
    await admin.patch(`/api/v1/custom-fields/${field.id}`, { active: false });
  });
});

describe("category templates", () => {
  it("a required field in a category's template is demanded only on tickets of that category", async () => {
    const repair = (await admin.post("/api/v1/categories", { name: "设备报修" })).json();
    const invoice = (await admin.post("/api/v1/categories", { name: "发票" })).json();
    const field = await admin.post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "device_model",
      label: "设备型号",
      type: "text",
      required: true,
      categoryIds: [repair.id],
    });
    expect(field.json().categoryIds).toEqual([repair.id]);
    const customer = await t.factory.customer();
    const ticket = (categoryId: number | null, customFields = {}) =>
      admin.post("/api/v1/tickets", { subject: "模板", description: "x", customer: { id: customer.id }, categoryId, customFields });
    const missing = await ticket(repair.id);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([expect.objectContaining({ path: "customFields.device_model", code: "required" })]);
    expect((await ticket(repair.id, { device_model: "LX-200" })).statusCode).toBe(201);
    expect((await ticket(invoice.id)).statusCode).toBe(201);
    expect((await ticket(null)).statusCode).toBe(201);

    const bad = await admin.post("/api/v1/custom-fields", {
      entity: "customer",
      key: "c1",
      label: "x",
      type: "text",
      categoryIds: [repair.id],
    });
    expect(bad.statusCode).toBe(400);
    expect((await admin.patch(`/api/v1/custom-fields/${field.json().id}`, { categoryIds: [999999] })).statusCode).toBe(400);
    await admin.patch(`/api/v1/custom-fields/${field.json().id}`, { active: false });
  });
});
