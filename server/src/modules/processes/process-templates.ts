import type { ProcessEdge, ProcessGraph, ProcessNode, StepOwner } from "@loopdesk/contracts/processes";
import { processGraph } from "@loopdesk/contracts/processes";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { listDepartments } from "../directory/department-service";
import { createProcess } from "./process-definitions";

/** Finds the workspace's department for a role in a template (仓库 → 仓储物流); none → its supervisors' pool. */
type Owners = (pattern: RegExp) => StepOwner;

type Template = { key: string; name: string; description: string; graph: (owner: Owners) => ProcessGraph };

type Draft = Record<string, unknown> & { id: string; type: ProcessNode["type"] };

/** Nodes and edges in a compact form; positions laid out in layers from the start (the designer can re-layout). */
function graph(nodes: Draft[], edges: [string, string, Partial<ProcessEdge>?][]): ProcessGraph {
  const parsed = processGraph.parse({
    nodes,
    edges: edges.map(([source, target, extra], i) => ({ id: `e${i + 1}`, source, target, ...extra })),
  });
  const layer = new Map<string, number>();
  const start = parsed.nodes.find((n) => n.type === "start");
  const queue = start ? [start.id] : [];
  if (start) layer.set(start.id, 0);
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of parsed.edges.filter((x) => x.source === id))
      if (!layer.has(e.target)) {
        layer.set(e.target, (layer.get(id) ?? 0) + 1);
        queue.push(e.target);
      }
  }
  const rows = new Map<number, number>();
  for (const n of parsed.nodes) {
    const l = layer.get(n.id) ?? 0;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    n.position = { x: l * 200, y: row * 110 };
  }
  return parsed;
}

const amountForm = [
  {
    key: "return_reason",
    label: "退货原因",
    type: "select",
    required: true,
    options: [
      { value: "quality", label: "质量问题" },
      { value: "wrong_item", label: "发错货" },
      { value: "no_reason", label: "七天无理由" },
    ],
  },
  { key: "refund_amount", label: "退款金额（元）", type: "number", required: true },
];

export const processTemplates: Template[] = [
  {
    key: "cross_border_return",
    name: "跨境退换货",
    description: "售后审核 → 仓库收货 → 财务退款；退款超过 ¥5,000 还需财务主管审批，驳回退回售后审核。",
    graph: (owner) =>
      graph(
        [
          { id: "start", type: "start", name: "开始" },
          { id: "review", type: "task", name: "售后审核", stage: "售后审核", owner: owner(/售后/), form: amountForm, target: { hours: 8 } },
          {
            id: "receive",
            type: "task",
            name: "仓库收货",
            stage: "仓库收货",
            owner: owner(/仓|物流/),
            form: [
              { key: "received", label: "已收到退货", type: "checkbox", required: true },
              {
                key: "condition",
                label: "包裹状况",
                type: "select",
                required: true,
                options: [
                  { value: "intact", label: "完好" },
                  { value: "damaged", label: "破损" },
                ],
              },
              {
                key: "damage_note",
                label: "破损说明",
                type: "text",
                required: true,
                showWhen: { field: "condition", values: ["damaged"] },
              },
            ],
            target: { hours: 16 },
          },
          {
            id: "approve",
            type: "approval",
            name: "退款审批",
            stage: "财务退款",
            levels: [
              { name: "财务", approvers: [owner(/财务/)], mode: "any" },
              {
                name: "财务主管（超过 ¥5,000）",
                approvers: [{ type: "role", role: "supervisor", departmentId: departmentOf(owner(/财务/)) }],
                mode: "any",
                when: [{ field: "step.review.refund_amount", op: "gt", value: 5000 }],
              },
            ],
            rejectTo: "review",
            target: { hours: 8 },
          },
          {
            id: "refund",
            type: "task",
            name: "财务退款",
            stage: "财务退款",
            owner: owner(/财务/),
            form: [{ key: "refund_ref", label: "退款流水号", type: "text", required: true }],
            target: { hours: 8 },
          },
          { id: "end", type: "end", name: "结束" },
        ],
        [
          ["start", "review"],
          ["review", "receive"],
          ["receive", "approve"],
          ["approve", "refund"],
          ["refund", "end"],
        ],
      ),
  },
  {
    key: "device_repair",
    name: "设备报修",
    description: "受理 → 派工 → 上门 → 客户验收；客户不认可则再次上门。",
    graph: (owner) =>
      graph(
        [
          { id: "start", type: "start", name: "开始" },
          {
            id: "intake",
            type: "task",
            name: "受理",
            stage: "受理",
            owner: { type: "assignee" },
            form: [
              { key: "device_model", label: "设备型号", type: "text", required: true },
              { key: "fault", label: "故障现象", type: "text", required: true },
            ],
            target: { hours: 2 },
          },
          {
            id: "dispatch",
            type: "task",
            name: "派工",
            stage: "派工",
            owner: { type: "role", role: "supervisor", departmentId: departmentOf(owner(/技术/)) },
            form: [{ key: "visit_date", label: "上门日期", type: "date", required: true }],
            target: { hours: 4 },
          },
          {
            id: "onsite",
            type: "task",
            name: "上门维修",
            stage: "上门维修",
            owner: owner(/技术/),
            form: [
              { key: "work_done", label: "维修内容", type: "text", required: true },
              { key: "parts_replaced", label: "更换了配件", type: "checkbox" },
            ],
            target: { hours: 16 },
          },
          {
            id: "signoff",
            type: "task",
            name: "客户验收",
            stage: "验收",
            owner: { type: "customer" },
            form: [
              { key: "accepted", label: "设备已恢复正常", type: "checkbox" },
              { key: "remark", label: "意见", type: "text" },
            ],
          },
          { id: "check", type: "exclusive", name: "验收通过？" },
          { id: "end", type: "end", name: "结束" },
        ],
        [
          ["start", "intake"],
          ["intake", "dispatch"],
          ["dispatch", "onsite"],
          ["onsite", "signoff"],
          ["signoff", "check"],
          ["check", "end", { label: "通过", when: [{ field: "step.signoff.accepted", op: "is", value: true }] }],
          ["check", "onsite", { label: "再次上门", isDefault: true }],
        ],
      ),
  },
  {
    key: "invoice_reissue",
    name: "发票重开",
    description: "客服登记 → 财务审核 → 开票；财务驳回退回客服补充。",
    graph: (owner) =>
      graph(
        [
          { id: "start", type: "start", name: "开始" },
          {
            id: "register",
            type: "task",
            name: "客服登记",
            stage: "受理",
            owner: { type: "assignee" },
            form: [
              { key: "invoice_title", label: "发票抬头", type: "text", required: true },
              { key: "tax_id", label: "税号", type: "text", required: true, pattern: "^[0-9A-Z]{15,20}$" },
              { key: "old_invoice_no", label: "原发票号", type: "text" },
            ],
            target: { hours: 4 },
          },
          {
            id: "audit",
            type: "approval",
            name: "财务审核",
            stage: "财务审核",
            levels: [{ name: "财务", approvers: [owner(/财务/)], mode: "any" }],
            rejectTo: "register",
            target: { hours: 8 },
          },
          {
            id: "issue",
            type: "task",
            name: "开票",
            stage: "开票",
            owner: owner(/财务/),
            form: [{ key: "invoice_no", label: "新发票号", type: "text", required: true }],
            target: { hours: 8 },
          },
          { id: "end", type: "end", name: "结束" },
        ],
        [
          ["start", "register"],
          ["register", "audit"],
          ["audit", "issue"],
          ["issue", "end"],
        ],
      ),
  },
  {
    key: "complaint_escalation",
    name: "投诉升级",
    description: "一线记录 → 主管处理 → 质检会签（主管与管理员都同意才结束），驳回退回主管。",
    graph: () =>
      graph(
        [
          { id: "start", type: "start", name: "开始" },
          {
            id: "frontline",
            type: "task",
            name: "一线记录",
            stage: "受理",
            owner: { type: "assignee" },
            form: [{ key: "summary", label: "投诉要点", type: "text", required: true }],
            target: { hours: 2 },
          },
          {
            id: "supervisor",
            type: "task",
            name: "主管处理",
            stage: "主管处理",
            owner: { type: "role", role: "supervisor" },
            form: [
              { key: "plan", label: "处理方案", type: "text", required: true },
              { key: "compensation", label: "补偿金额（元）", type: "number" },
            ],
            target: { hours: 8 },
          },
          {
            id: "qa",
            type: "approval",
            name: "质检会签",
            stage: "质检复核",
            levels: [
              {
                name: "会签",
                approvers: [
                  { type: "role", role: "supervisor" },
                  { type: "role", role: "admin" },
                ],
                mode: "all",
              },
            ],
            rejectTo: "supervisor",
            target: { hours: 16 },
          },
          { id: "end", type: "end", name: "结束" },
        ],
        [
          ["start", "frontline"],
          ["frontline", "supervisor"],
          ["supervisor", "qa"],
          ["qa", "end"],
        ],
      ),
  },
  {
    key: "parallel_refund",
    name: "退货退款（仓库财务并行）",
    description: "售后确认后，仓库收货与财务预审同时进行，两者都完成再退款。",
    graph: (owner) =>
      graph(
        [
          { id: "start", type: "start", name: "开始" },
          {
            id: "confirm",
            type: "task",
            name: "售后确认",
            stage: "售后审核",
            owner: owner(/售后/),
            form: amountForm,
            target: { hours: 8 },
          },
          { id: "split", type: "parallel_split", name: "同时进行" },
          {
            id: "receive",
            type: "task",
            name: "仓库收货",
            stage: "仓库收货",
            owner: owner(/仓|物流/),
            form: [{ key: "received", label: "已收到退货", type: "checkbox", required: true }],
            target: { hours: 16 },
          },
          {
            id: "precheck",
            type: "task",
            name: "财务预审",
            stage: "财务预审",
            owner: owner(/财务/),
            form: [{ key: "account_ok", label: "收款账户核对无误", type: "checkbox", required: true }],
            target: { hours: 8 },
          },
          { id: "join", type: "parallel_join", name: "都完成" },
          {
            id: "refund",
            type: "task",
            name: "财务退款",
            stage: "财务退款",
            owner: owner(/财务/),
            form: [{ key: "refund_ref", label: "退款流水号", type: "text", required: true }],
            target: { hours: 8 },
          },
          { id: "end", type: "end", name: "结束" },
        ],
        [
          ["start", "confirm"],
          ["confirm", "split"],
          ["split", "receive"],
          ["split", "precheck"],
          ["receive", "join"],
          ["precheck", "join"],
          ["join", "refund"],
          ["refund", "end"],
        ],
      ),
  },
];

function departmentOf(owner: StepOwner) {
  return owner.type === "department" ? owner.departmentId : null;
}

/** Template owners matched to this workspace's departments by name; a department it lacks becomes its supervisors' pool. */
export async function templateOwners(db: Executor): Promise<Owners> {
  const departments = await listDepartments(db);
  return (pattern) => {
    const d = departments.find((x) => pattern.test(x.name));
    return d ? { type: "department", departmentId: d.id } : { type: "role", role: "supervisor", departmentId: null };
  };
}

export async function installProcessTemplate(db: Executor, key: string) {
  const template = processTemplates.find((t) => t.key === key);
  if (!template) throw NotFoundError("Template");
  const owners = await templateOwners(db);
  let candidate = template.key;
  for (let n = 2; await db.selectFrom("process_definitions").select("id").where("key", "=", candidate).executeTakeFirst(); n++)
    candidate = `${template.key}-${n}`;
  return createProcess(db, {
    key: candidate,
    name: template.name,
    description: template.description,
    graph: template.graph(owners),
    startRule: { enabled: false, when: [] },
    progress: { onStageComplete: true, waitingEveryHours: 24 },
  });
}
