/** Source material for the demo workspace: a Chinese e-commerce and devices support desk. */

export const DEMO_PASSWORD = "loopdesk-demo";

export const departments = ["售前咨询", "售后服务", "技术支持", "仓储物流", "财务"] as const;

export const skills = ["账号登录", "退换货", "物流跟踪", "发票开具", "设备维修", "产品咨询", "英语服务"] as const;

/** Skills a category needs (skill-based routing in 技术二线). */
export const categorySkills: Record<string, [string, number][]> = {
  登录问题: [["账号登录", 3]],
  设备报修: [["设备维修", 3]],
};

/** Template fields a category requires: a request without them is 信息不全 and the customer is asked once. */
export const requiredFields: Record<string, string[]> = {
  退换货: ["order_no"],
  物流查询: ["order_no"],
  设备报修: ["device_model"],
};

export type DemoTeam = {
  name: string;
  department: (typeof departments)[number];
  strategy: "skill" | "load_aware" | "round_robin" | "least_loaded" | "claim" | "manual";
  presenceMode: "manual" | "sign_in" | "shift";
  /** Where tickets go when nobody here can take one (the after-sales team runs around the clock). */
  fallback?: string;
  /** A claim team's offer: how long its members have to claim a request before it is assigned. */
  claimTimeoutMinutes?: number;
};

export const teams: DemoTeam[] = [
  // Pre-sales questions are offered to whoever of the team is online (抢单); unclaimed after 30 minutes, they are assigned.
  {
    name: "售前一组",
    department: "售前咨询",
    strategy: "claim",
    presenceMode: "manual",
    fallback: "售后一组",
    claimTimeoutMinutes: 30,
  },
  { name: "售后一组", department: "售后服务", strategy: "least_loaded", presenceMode: "shift", fallback: "VIP 专席" },
  // VIP tickets nobody here can take go to the department's other team (售后一组).
  { name: "VIP 专席", department: "售后服务", strategy: "least_loaded", presenceMode: "shift" },
  { name: "技术二线", department: "技术支持", strategy: "skill", presenceMode: "sign_in", fallback: "售后一组" },
  { name: "物流组", department: "仓储物流", strategy: "least_loaded", presenceMode: "shift", fallback: "售后一组" },
  { name: "财务组", department: "财务", strategy: "least_loaded", presenceMode: "shift", fallback: "售后一组" },
];

/** A weekly shift pattern: ISO weekdays (1 = Monday) and local hours; an end before the start runs past midnight. */
export type DemoShift = { days: number[]; start: string; end: string };
const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

export const agents: {
  name: string;
  email: string;
  role: "agent" | "supervisor";
  team: string;
  skills: [string, number][];
  shift: DemoShift;
  capacity: number;
}[] = [
  {
    name: "王芳",
    email: "wangfang",
    role: "supervisor",
    team: "售后一组",
    skills: [
      ["退换货", 5],
      ["物流跟踪", 4],
    ],
    shift: { days: WEEKDAYS, start: "09:00", end: "18:00" },
    capacity: 5,
  },
  {
    name: "李娜",
    email: "lina",
    role: "agent",
    team: "售后一组",
    skills: [
      ["退换货", 4],
      ["英语服务", 3],
    ],
    shift: { days: [1, 2, 3, 4, 5, 6], start: "08:00", end: "17:00" },
    capacity: 10,
  },
  {
    name: "张伟",
    email: "zhangwei",
    role: "agent",
    team: "售后一组",
    skills: [
      ["退换货", 3],
      ["发票开具", 2],
    ],
    shift: { days: EVERY_DAY, start: "14:00", end: "23:00" },
    capacity: 10,
  },
  {
    name: "郑凯",
    email: "zhengkai",
    role: "agent",
    team: "售后一组",
    skills: [
      ["退换货", 3],
      ["物流跟踪", 3],
    ],
    // 夜班值班: the after-sales desk answers around the clock. Alone on it at night, he also holds
    // the requests the day shift handed back untouched, so he takes more at once than a day agent.
    shift: { days: EVERY_DAY, start: "22:00", end: "08:30" },
    capacity: 20,
  },
  {
    name: "刘洋",
    email: "liuyang",
    role: "agent",
    team: "VIP 专席",
    skills: [
      ["退换货", 5],
      ["产品咨询", 4],
    ],
    shift: { days: EVERY_DAY, start: "08:00", end: "20:00" },
    capacity: 8,
  },
  {
    name: "陈静",
    email: "chenjing",
    role: "supervisor",
    team: "技术二线",
    skills: [
      ["账号登录", 5],
      ["设备维修", 5],
    ],
    shift: { days: WEEKDAYS, start: "09:00", end: "18:00" },
    capacity: 5,
  },
  {
    name: "杨磊",
    email: "yanglei",
    role: "agent",
    team: "技术二线",
    skills: [
      ["设备维修", 4],
      ["账号登录", 3],
    ],
    shift: { days: [1, 2, 3, 4, 5, 6], start: "09:00", end: "18:00" },
    capacity: 10,
  },
  {
    name: "赵敏",
    email: "zhaomin",
    role: "agent",
    team: "技术二线",
    skills: [
      ["账号登录", 4],
      ["英语服务", 4],
    ],
    shift: { days: EVERY_DAY, start: "12:00", end: "21:00" },
    capacity: 10,
  },
  {
    name: "黄晓明",
    email: "huangxiaoming",
    role: "agent",
    team: "售前一组",
    skills: [["产品咨询", 5]],
    shift: { days: WEEKDAYS, start: "09:00", end: "18:00" },
    capacity: 10,
  },
  {
    name: "周婷",
    email: "zhouting",
    role: "agent",
    team: "售前一组",
    skills: [
      ["产品咨询", 4],
      ["账号登录", 2],
    ],
    shift: { days: EVERY_DAY, start: "10:00", end: "22:00" },
    capacity: 10,
  },
  {
    name: "吴刚",
    email: "wugang",
    role: "agent",
    team: "物流组",
    skills: [["物流跟踪", 5]],
    shift: { days: [1, 2, 3, 4, 5, 6], start: "08:00", end: "17:00" },
    capacity: 10,
  },
  {
    name: "徐丽",
    email: "xuli",
    role: "agent",
    team: "物流组",
    skills: [
      ["物流跟踪", 4],
      ["退换货", 2],
    ],
    shift: { days: EVERY_DAY, start: "13:00", end: "22:00" },
    capacity: 10,
  },
  {
    name: "孙强",
    email: "sunqiang",
    role: "agent",
    team: "财务组",
    skills: [["发票开具", 5]],
    shift: { days: WEEKDAYS, start: "09:00", end: "18:00" },
    capacity: 10,
  },
  // The finance lead approves large refunds (the 跨境退换货 process's second level) and takes few tickets.
  {
    name: "钱芳",
    email: "qianfang",
    role: "supervisor",
    team: "财务组",
    skills: [["发票开具", 4]],
    shift: { days: WEEKDAYS, start: "09:00", end: "18:00" },
    capacity: 4,
  },
  // The after-sales desk's weekend days (李娜 is off on Sundays, 张伟 comes at 14:00): it is staffed around the clock.
  {
    name: "高洁",
    email: "gaojie",
    role: "agent",
    team: "售后一组",
    skills: [["退换货", 3]],
    shift: { days: [6, 7], start: "08:00", end: "20:00" },
    capacity: 10,
  },
];

export const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢".split("");
export const givenNames = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "霞",
  "平",
  "刚",
  "桂英",
  "建华",
  "晓东",
  "子涵",
  "雨萱",
  "浩然",
  "思远",
  "欣怡",
  "梓轩",
];
export const companies = [
  "杭州云帆科技",
  "深圳星河电子",
  "上海明德贸易",
  "北京智联信息",
  "成都天府物流",
  "广州南方家居",
  "苏州工业设备",
  "武汉长江传媒",
  "南京博雅教育",
  "西安古城文旅",
  "厦门海韵电商",
  "青岛蓝海食品",
];
export const regions = [
  { value: "east", label: "华东" },
  { value: "south", label: "华南" },
  { value: "north", label: "华北" },
  { value: "west", label: "西南" },
];
/** 09:00–12:00 and 13:00–18:00 on weekdays. */
export const workingHours = [
  { start: "09:00", end: "12:00" },
  { start: "13:00", end: "18:00" },
];
/** Tried in order: VIP customers first, then urgent tickets, then everything else (working minutes). */
export const slaPolicies = [
  { name: "VIP 客户", conditions: { tiers: ["vip" as const] }, firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 480 },
  {
    name: "紧急工单",
    conditions: { priorities: ["urgent" as const] },
    firstResponseMinutes: 60,
    nextResponseMinutes: 120,
    resolutionMinutes: 960,
  },
  { name: "标准", conditions: {}, firstResponseMinutes: 240, nextResponseMinutes: 480, resolutionMinutes: 1620 },
];
export const cannedReplies = [
  { title: "问候", body: "{{customer.name}}您好，我是客服{{agent.name}}，很高兴为您服务。" },
  {
    title: "退换货流程",
    body: "您好，退换货请在“我的订单”中选择对应订单，点击“申请售后”，填写原因并上传照片，我们会在 1 个工作日内审核。",
  },
  { title: "发票开具说明", body: "电子发票会在订单完成后 3 个工作日内发送到您的邮箱，如需修改抬头请回复本工单并提供正确的抬头和税号。" },
  { title: "已解决确认", body: "您反馈的问题（工单 #{{ticket.number}}）已处理完毕，如还有疑问可直接回复本工单，我们会继续跟进。" },
  // Macros: the reply and the changes that go with it, in one click.
  {
    title: "请补充订单号（等待客户）",
    body: "{{customer.name}}您好，为了尽快处理，请回复您的订单号（在“我的订单”中可以找到）。收到后我们会立即跟进。",
    actions: { status: "pending" as const, assignee: "me" as const },
  },
  {
    title: "退款已提交财务",
    body: "{{customer.name}}您好，工单 #{{ticket.number}} 的退款已提交财务审核，预计 3 个工作日内原路退回，请留意账户。",
    actions: { status: "pending" as const, addTags: ["退款"], assignee: "me" as const },
  },
  {
    title: "升级给主管（加急）",
    body: "客户情绪激动，已承诺今天内回电，请主管跟进。",
    actions: { priority: "urgent" as const, addTags: ["升级"], internal: true },
  },
];
