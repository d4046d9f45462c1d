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
};

export const teams: DemoTeam[] = [
  { name: "售前一组", department: "售前咨询", strategy: "round_robin", presenceMode: "manual", fallback: "售后一组" },
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
    // 夜班值班: the after-sales desk answers around the clock.
    shift: { days: EVERY_DAY, start: "22:00", end: "08:30" },
    capacity: 8,
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
];

/** Where a ticket of a category is handed on when it needs another department, and why (转派). */
export const handOffs: Record<string, { to: (typeof departments)[number]; reasons: string[] }> = {
  退换货: { to: "财务", reasons: ["退货已入库，需要财务退款", "客户要求原路退款，转财务处理"] },
  设备报修: { to: "仓储物流", reasons: ["需要寄回检测，转仓储安排取件", "需要补发配件，转仓储发货"] },
  物流查询: { to: "售后服务", reasons: ["包裹丢失，转售后安排补发", "客户拒收，转售后办理退货"] },
  产品咨询: { to: "售后服务", reasons: ["客户已下单，转售后跟进发货问题"] },
  登录问题: { to: "技术支持", reasons: ["需要技术排查账号异常"] },
  发票: { to: "售后服务", reasons: ["订单未完成，转售后确认订单状态"] },
};

/** What customers write when they rate (by stars). */
export const csatComments: Record<number, string[]> = {
  5: ["处理很快，非常满意！", "客服很耐心，谢谢", "一次就解决了，点赞"],
  4: ["还不错，就是等得有点久", "问题解决了"],
  3: ["一般，来回沟通了好几次", ""],
  2: ["等了太久才有人回复", "转了好几个人才处理"],
  1: ["问题到现在还没彻底解决", "非常不满意，要投诉"],
};

export const categories: {
  name: string;
  department: (typeof departments)[number];
  weight: number;
  subjects: string[];
  details: string[];
  replies: string[];
}[] = [
  {
    name: "登录问题",
    department: "技术支持",
    weight: 14,
    subjects: ["登录不了账户", "收不到短信验证码", "密码重置邮件没收到", "账号被锁定了", "App 一直提示登录过期"],
    details: [
      "今天早上开始就登录不了，提示密码错误，但我确定密码是对的。",
      "换了手机号之后收不到验证码，试了好几次了。",
      "点了忘记密码，邮箱里什么都没有，垃圾箱也看了。",
    ],
    replies: [
      "您好，已为您重置登录状态，请清除缓存后重新登录试试。",
      "验证码通道已恢复，请重新获取；如仍收不到请告诉我们手机型号。",
      "已为您解除账号锁定，建议登录后修改密码。",
      "重置邮件已重新发送，请同时检查垃圾邮件文件夹。",
    ],
  },
  {
    name: "退换货",
    department: "售后服务",
    weight: 22,
    subjects: ["申请退货", "收到的商品有破损", "尺码不合适想换货", "退款什么时候到账", "七天无理由退货被拒"],
    details: [
      "订单里的杯子收到时已经碎了，附上照片，希望尽快处理。",
      "衣服尺码偏小，想换大一号，吊牌还在。",
      "退货已经寄回五天了，退款还没有到账。",
    ],
    replies: [
      "非常抱歉给您带来不便，已为您登记退货，快递员会在 24 小时内上门取件。",
      "已核实破损情况，将为您补发新品，无需退回原商品。",
      "换货申请已通过，新尺码今天发出，旧商品请在 7 天内寄回。",
      "退款已原路退回，一般 1–3 个工作日到账。",
    ],
  },
  {
    name: "物流查询",
    department: "仓储物流",
    weight: 18,
    subjects: ["快递三天没有更新", "物流显示已签收但没收到", "能不能加急发货", "想修改收货地址", "包裹被退回了"],
    details: [
      "物流信息一直停在转运中心，已经三天没有动了。",
      "显示已签收，但是家里和快递柜都没有。",
      "下单时地址填错了，还没发货的话请帮我改一下。",
    ],
    replies: [
      "已联系承运商核实，包裹预计明天送达。",
      "地址已修改成功，发货后会短信通知您。",
      "已申请加急，仓库今天下午优先出库。",
      "快递员确认放在了小区驿站，取件码已短信发送给您。",
    ],
  },
  {
    name: "发票",
    department: "财务",
    weight: 10,
    subjects: ["申请开具增值税专用发票", "发票抬头开错了", "电子发票在哪里下载", "需要补开发票"],
    details: ["公司报销需要专票，税号和开户行信息见附件。", "抬头少写了一个字，麻烦重新开具。"],
    replies: [
      "发票已重新开具，电子版已发送到您的邮箱。",
      "专票将在 3 个工作日内寄出，请注意查收。",
      "电子发票可在“我的订单 → 发票”中下载。",
    ],
  },
  {
    name: "设备报修",
    department: "技术支持",
    weight: 14,
    subjects: ["设备无法开机", "扫地机器人不回充", "路由器频繁掉线", "屏幕出现花屏", "设备异响"],
    details: ["型号 LD-200，用了三个月，今天突然开不了机，充电也没反应。", "机器人每次清扫完找不到充电座，在原地打转。"],
    replies: [
      "请按住电源键 15 秒强制重启；如仍无法开机，我们将安排上门检修。",
      "已为您创建维修工单，工程师将在 48 小时内联系您。",
      "请清洁回充座的金属触点后再试，多数回充问题可以这样解决。",
      "配件已寄出，更换后如仍有异常请随时联系我们。",
    ],
  },
  {
    name: "产品咨询",
    department: "售前咨询",
    weight: 12,
    subjects: ["这款和旗舰版有什么区别", "企业采购有没有优惠", "支持哪些支付方式", "什么时候补货"],
    details: ["想给公司采购 50 台，请问有没有批量价格？", "两个版本的参数看起来差不多，具体差在哪里？"],
    replies: [
      "企业采购 20 台以上可享 9 折，已为您对接大客户经理。",
      "旗舰版多了降噪和更大的电池，详细对比已发给您。",
      "支持微信、支付宝和对公转账，企业客户可开专票。",
    ],
  },
  {
    name: "账户与会员",
    department: "售前咨询",
    weight: 5,
    subjects: ["会员积分没有到账", "如何升级金卡会员", "优惠券用不了"],
    details: ["上周的订单应该有积分，但账户里没有看到。", "结算时提示优惠券不可用，但是还没过期。"],
    replies: ["积分已为您补发，请刷新查看。", "该优惠券不适用于特价商品，已另外补偿您一张无门槛券。"],
  },
  {
    name: "投诉建议",
    department: "售后服务",
    weight: 5,
    subjects: ["对客服态度不满意", "建议增加夜间客服", "配送员态度很差"],
    details: ["上次打电话咨询，客服很不耐烦，希望改进。", "晚上十点以后就找不到人了，能不能延长服务时间？"],
    replies: ["非常抱歉给您带来不好的体验，我们已对相关人员进行培训。", "感谢您的建议，已反馈给服务运营团队。"],
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
export const customerFollowUps = [
  "好的，谢谢，我再试试。",
  "还是不行，能不能再帮我看看？",
  "收到了，问题已经解决，谢谢！",
  "请问大概还要多久？",
];
export const internalNotes = [
  "已和仓库确认库存，明天发出。",
  "客户是老客户，优先处理。",
  "需要二线技术协助，已在群里同步。",
  "这是本周第三起同类问题，记录一下。",
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
];
