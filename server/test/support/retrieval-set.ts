/**
 * A labelled set for knowledge search and recommendations, written for this project (no customer's
 * message is in it). Licence: CC0 1.0 (public domain dedication) — use it for anything. 16 help articles of an online shop's
 * help desk, and for each three questions the way customers write them — colloquial, with words the
 * article does not use (退钱 for 退款, 票据 for 发票, 快件 for 快递), and with noise around the
 * question. `answers` is the article that answers it. The synonym groups are what an admin would add.
 * 24 more questions none of the articles answers.
 */
export type RetrievalArticle = { key: string; title: string; body: string };
export type RetrievalQuery = { text: string; answers: string };

export const RETRIEVAL_ARTICLES: RetrievalArticle[] = [
  {
    key: "sms",
    title: "收不到短信验证码怎么办",
    body: "确认手机号正确、没有开启短信拦截，等待 60 秒后重新获取验证码；更换过手机号请先在账号与安全中更新。",
  },
  {
    key: "locked",
    title: "账号被锁定后如何解锁",
    body: "连续 5 次输错密码账号会锁定 30 分钟，可以等待自动解锁，或通过忘记密码重置后立即解锁。",
  },
  { key: "password", title: "如何修改登录密码", body: "在我的 → 设置 → 账号与安全中修改密码，需要验证原密码或手机验证码。" },
  { key: "return", title: "如何申请退货", body: "签收后 7 天内在我的订单中点击申请退货，审核通过后快递员上门取件，无需垫付运费。" },
  {
    key: "refund-time",
    title: "退款多久到账",
    body: "仓库验收退货后退款原路退回：微信支付宝 1 个工作日，银行卡 1 到 3 个工作日，信用卡最长 7 个工作日。",
  },
  { key: "exchange", title: "尺码不合适如何换货", body: "吊牌完好的商品可以换一次尺码，新尺码先发出，旧商品 7 天内寄回。" },
  { key: "broken", title: "收到的商品破损怎么办", body: "拍照上传破损部位和外包装，我们核实后为您补发新品或全额退款，无需退回原商品。" },
  {
    key: "signed",
    title: "物流显示已签收但没收到",
    body: "请先查看驿站和快递柜，快递员常放在驿站并短信发送取件码；仍找不到请联系客服核实。",
  },
  { key: "address", title: "发货前如何修改收货地址", body: "订单发货前可在订单详情页修改地址；已发货的订单请联系客服与承运商协商改派。" },
  { key: "delay", title: "快递很多天没有更新物流", body: "物流停在转运中心超过 3 天时，我们会联系承运商核实，必要时补发。" },
  { key: "einvoice", title: "电子发票在哪里下载", body: "订单完成后 3 个工作日内开具电子发票，可在我的订单的发票页下载，同时发送到邮箱。" },
  {
    key: "invoice-title",
    title: "发票抬头开错了怎么重开",
    body: "电子普通发票可以作废重开，提供正确的抬头和税号，财务 1 个工作日内重新开具。",
  },
  { key: "vat", title: "如何开具增值税专用发票", body: "提交公司名称、税号、开户行账号和地址电话，专票在 3 个工作日内邮寄。" },
  {
    key: "robot-dock",
    title: "扫地机器人不回充",
    body: "清洁机器人底部和充电座的金属触点，充电座周围不要放障碍物，长按电源键 15 秒重启。",
  },
  {
    key: "no-power",
    title: "设备无法开机的排查步骤",
    body: "长按电源键 15 秒强制重启，用原装充电器充电 30 分钟后再试，仍不行安排上门检修。",
  },
  { key: "coupon", title: "优惠券为什么用不了", body: "检查优惠券的使用门槛、适用商品和有效期，部分特价商品不能叠加使用优惠券。" },
];

export const RETRIEVAL_QUERIES: RetrievalQuery[] = [
  { text: "验证码一直收不到，试了好多次", answers: "sms" },
  { text: "换了新手机号，短信码发不过来", answers: "sms" },
  { text: "登录时手机收不到验证短信", answers: "sms" },
  { text: "密码输错几次账号就被锁了，怎么解开", answers: "locked" },
  { text: "我的账户锁定了登不上去", answers: "locked" },
  { text: "提示账号已冻结，请问怎么解锁", answers: "locked" },
  { text: "想改一下登录密码在哪里改", answers: "password" },
  { text: "密码怎么修改", answers: "password" },
  { text: "怎么换个新密码，老密码不想用了", answers: "password" },
  { text: "东西不想要了，想退货", answers: "return" },
  { text: "买的衣服不喜欢怎么退回去", answers: "return" },
  { text: "申请退货要自己出运费吗", answers: "return" },
  { text: "退钱什么时候能到我卡上", answers: "refund-time" },
  { text: "货已经寄回去了，退费多久到账", answers: "refund-time" },
  { text: "退款还没到账，已经三天了", answers: "refund-time" },
  { text: "鞋子小了一码，能换大一号吗", answers: "exchange" },
  { text: "尺寸不合适想换一个", answers: "exchange" },
  { text: "衣服偏小，换货怎么操作", answers: "exchange" },
  { text: "收到的杯子碎了", answers: "broken" },
  { text: "商品到手就坏了，外包装也压扁了", answers: "broken" },
  { text: "快递送来的东西有破损", answers: "broken" },
  { text: "显示签收了可我没拿到包裹", answers: "signed" },
  { text: "物流说已经签收，家里根本没有", answers: "signed" },
  { text: "快件被别人签收了吧，我没收到", answers: "signed" },
  { text: "地址填错了还没发货，能改吗", answers: "address" },
  { text: "想把收货地址改成公司", answers: "address" },
  { text: "下单后怎么更换收件地址", answers: "address" },
  { text: "包裹好几天没动静了", answers: "delay" },
  { text: "物流信息一直不更新，卡在转运中心", answers: "delay" },
  { text: "快递三天都没有更新了", answers: "delay" },
  { text: "电子票据去哪里下载", answers: "einvoice" },
  { text: "发票在哪能找到，报销要用", answers: "einvoice" },
  { text: "怎么下载电子发票", answers: "einvoice" },
  { text: "票据上公司名字写错了，要重新开", answers: "invoice-title" },
  { text: "发票抬头少了一个字", answers: "invoice-title" },
  { text: "开票信息错了能不能重开", answers: "invoice-title" },
  { text: "公司报销需要专票", answers: "vat" },
  { text: "怎么开增值税专用发票", answers: "vat" },
  { text: "我们单位要开专用票据，需要提供什么", answers: "vat" },
  { text: "扫地机找不到充电座，一直转圈", answers: "robot-dock" },
  { text: "机器人扫完不回去充电", answers: "robot-dock" },
  { text: "扫地机器人不能自动回充", answers: "robot-dock" },
  { text: "机器开不了机，按了没反应", answers: "no-power" },
  { text: "设备突然无法开机，充电也没用", answers: "no-power" },
  { text: "开机键按了没反应，是不是坏了", answers: "no-power" },
  { text: "优惠券结账时用不上", answers: "coupon" },
  { text: "领的券为什么不能用", answers: "coupon" },
  { text: "优惠券显示不可用是怎么回事", answers: "coupon" },
];

/**
 * Questions the same shop's customers ask that none of the articles answers — some share a common
 * word with one (账号, 发货, 商品, 客服): suggestions should leave them alone rather than offer the
 * nearest article.
 */
export const RETRIEVAL_UNANSWERED: string[] = [
  "建议增加夜间客服，晚上十点以后就找不到人了",
  "你们有线下门店吗，想去试穿",
  "会员积分怎么兑换礼品",
  "客服态度太差了，我要投诉",
  "能不能出一个平板电脑版的应用",
  "下单时可以选择指定时间送货吗",
  "你们招不招兼职",
  "商品降价了能补差价吗",
  "想注销账号，怎么操作",
  "可以货到付款吗",
  "支持分期付款吗",
  "海外能不能发货",
  "买了两件能不能合并发货",
  "这个商品有没有保修，保修期多久",
  "直播间说的赠品什么时候发",
  "我想成为你们的供应商，找谁联系",
  "网站页面打开特别慢",
  "为什么我的评价被删除了",
  "给老人买手机推荐哪一款",
  "生日当天有没有优惠活动",
  "你们的客服电话是多少",
  "App 闪退，打开就关掉",
  "怎么联系商家开发票以外的收据",
  "订单能不能改成别人收货后付款",
];

export const RETRIEVAL_SYNONYMS = [
  ["退款", "退钱", "退费"],
  ["发票", "票据", "开票"],
  ["快递", "快件", "包裹"],
  ["锁定", "冻结"],
  ["专用发票", "专票"],
  ["扫地机器人", "扫地机"],
];

/** Mean reciprocal rank over the first five results: 1 for the answer first, 1/2 second, … 0 when not in the five. */
export function mrrAt5(ranked: string[][], answers: string[]) {
  let sum = 0;
  ranked.forEach((r, i) => {
    const at = r.slice(0, 5).indexOf(answers[i] as string);
    if (at >= 0) sum += 1 / (at + 1);
  });
  return sum / ranked.length;
}
