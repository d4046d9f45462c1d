/**
 * A labelled set of Chinese citizen-hotline messages (12345 政务服务热线 style) for seven
 * departments, generated — no real person's message is in it, so it ships with the repository;
 * licence: CC0 1.0 (public domain dedication). Method (documented in docs/knowledge.md): each department has seven
 * situations (what went wrong, in several wordings), places, times and the ways people ask for
 * help; a message strings a greeting, a place, a situation, a duration and a request together,
 * with generic phrases shared by every department ("多次反映无果", "希望尽快处理") and situations
 * that sit between departments (noise from a building site is 住建 or 环保; a shop's loudspeaker
 * is 城管 or 市场监管), so words alone do not decide. One message in ten is short and vague.
 * Deterministic for a seed.
 */
export type Labelled = { text: string; label: string };

const DEPARTMENTS: Record<string, { situations: string[]; keywords: string[] }> = {
  城管: {
    situations: [
      "路边有流动摊贩占道经营，行人只能走机动车道",
      "小区门口的烧烤摊每天晚上油烟很大，还占用人行道",
      "有人在绿化带里私搭乱建了一个铁皮棚",
      "商铺把广告牌立在人行道中间，晚上还开着高音喇叭招揽顾客",
      "街边垃圾桶满了好几天没人清运，味道很大",
      "共享单车乱停乱放把盲道堵住了",
      "楼下的店铺长期把货物堆在门外占道",
    ],
    keywords: ["摊贩", "占道", "违建", "私搭乱建", "垃圾", "乱停", "广告牌"],
  },
  交通: {
    situations: [
      "路口的红绿灯坏了好几天，高峰期非常堵",
      "公交车经常不按时到站，等一个小时都等不到",
      "这条路上的减速带被压坏了，车开过去很颠",
      "地铁站出口附近没有斑马线，过马路很危险",
      "网约车司机绕路多收了钱，平台不处理",
      "学校门口上下学时间违停严重，经常堵死",
      "公交线路调整后我们小区附近没有车站了",
    ],
    keywords: ["红绿灯", "公交", "地铁", "违停", "出租车", "网约车", "斑马线", "堵车"],
  },
  环保: {
    situations: [
      "附近工厂晚上偷偷排放废气，味道刺鼻",
      "河道里的水发黑发臭，还有死鱼",
      "旁边的工地晚上十一点以后还在施工，噪音太大睡不着",
      "有人在河边倾倒建筑垃圾和废油",
      "小区旁边的餐馆油烟直排，家里窗户都不敢开",
      "化工厂的烟囱冒黑烟，附近居民咳嗽",
      "楼下商铺的空调外机噪音很大，夜里吵得睡不着",
    ],
    keywords: ["排放", "废气", "污染", "噪音", "油烟", "黑烟", "臭"],
  },
  社保: {
    situations: [
      "公司一直没有给我交社保，离职后才发现",
      "医保报销材料交上去两个月了还没有结果",
      "退休金这个月没有按时发放",
      "异地就医备案在网上办不了，一直提示失败",
      "单位拖欠工资三个月，还不给缴纳社保",
      "失业金申请被退回了，说材料不全但没说缺什么",
      "社保卡丢了补办很久都没拿到",
    ],
    keywords: ["社保", "医保", "养老金", "退休金", "失业金", "工资", "报销"],
  },
  住建: {
    situations: [
      "买的新房交房后墙体开裂，开发商不给维修",
      "小区电梯经常坏，物业只会拖着",
      "楼上装修把我家天花板弄漏水了，物业不管",
      "开发商延期交房一年多了还没有说法",
      "老旧小区改造施工把路挖了一个月没人管",
      "工地的塔吊就在我们楼边上，噪音和安全都有问题",
      "物业费涨价没有开业主大会",
    ],
    keywords: ["开发商", "物业", "交房", "装修", "电梯", "维修基金", "房屋"],
  },
  市场监管: {
    situations: [
      "在超市买到过期的牛奶，商家拒绝退换",
      "预付卡充值后健身房跑路了",
      "网上买的手机是翻新机，商家不承认",
      "饭店里吃出了异物，老板态度恶劣",
      "药店卖的口罩价格翻了好几倍",
      "商场的促销活动先涨价再打折",
      "店铺门口用高音喇叭做虚假宣传，说全场一折",
    ],
    keywords: ["过期", "假货", "退款", "商家", "价格", "食品", "预付卡", "虚假宣传"],
  },
  教育: {
    situations: [
      "孩子学校周末还在补课收费",
      "幼儿园突然涨学费，没有任何通知",
      "培训机构倒闭了，学费退不回来",
      "学校食堂的饭菜质量很差，孩子吃了拉肚子",
      "孩子入学划片不合理，离家很远",
      "老师在班级群里推销教辅资料",
      "校外培训机构在居民楼里违规办班",
    ],
    keywords: ["学校", "学费", "培训", "老师", "幼儿园", "入学", "补课"],
  },
};

const PLACES = [
  "朝阳区和平路",
  "海淀区学院路",
  "西城区新街口",
  "丰台区南苑",
  "我们小区",
  "滨江花园",
  "光明街道",
  "城南新区",
  "人民公园附近",
  "火车站旁边",
];
const OPENINGS = ["你好，", "您好，我想反映一个问题：", "我要投诉，", "", "请问一下，", "麻烦帮忙处理一下，", "市民反映："];
const DURATIONS = ["已经一个多月了", "持续好几天了", "从上周开始就这样", "不是第一次了", "今天早上发现的", "最近一直这样"];
const ASKS = [
  "希望尽快处理。",
  "请相关部门管一管。",
  "多次反映无果，希望给个答复。",
  "谢谢！",
  "请尽快给我回电话。",
  "希望有关部门重视。",
  "",
];
const VAGUE = ["上次反映的问题还没解决", "我想问一下怎么办", "这个事情到底归谁管", "有人管吗", "请尽快处理"];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` labelled messages, the departments in turn. The training part describes five of each
 * department's seven situations, the test part only the other two (unseen wordings).
 */
export function generateCorpus(n: number, seed = 1, part: "train" | "test" = "train"): Labelled[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const labels = Object.keys(DEPARTMENTS);
  const out: Labelled[] = [];
  for (let i = 0; i < n; i++) {
    const label = labels[i % labels.length] as string;
    const d = DEPARTMENTS[label] as (typeof DEPARTMENTS)[string];
    const situation = pick(d.situations.filter((_, j) => (j % 7 === 2 || j % 7 === 5) === (part === "test")));
    const text =
      r() < 0.1
        ? `${pick(PLACES)}${situation.slice(0, 6 + Math.floor(r() * 6))}，${pick(VAGUE)}`
        : `${pick(OPENINGS)}${pick(PLACES)}${situation}，${pick(DURATIONS)}，${pick(ASKS)}`;
    out.push({ text, label });
  }
  return out;
}

/**
 * The keyword rules a careful admin writes (a trigger per department: "if the text contains any
 * of these words, set the department"): the department whose keywords appear most wins; ties go
 * to the first rule, and a message with none stays without a department.
 */
export function keywordRule(text: string): string | null {
  let best: string | null = null;
  let hits = 0;
  for (const [label, d] of Object.entries(DEPARTMENTS)) {
    const n = d.keywords.filter((k) => text.includes(k)).length;
    if (n > hits) {
      best = label;
      hits = n;
    }
  }
  return best;
}
