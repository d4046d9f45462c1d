import type { Rng } from "./demo-rng";
import * as talk from "./demo-conversations";
import { TicketStory } from "./demo-routed-story";
import { DAY, type DemoCustomer, type DemoWorld, MIN, type PlannedTicket, json } from "./demo-world";

const CHANNELS = ["email", "portal", "widget", "phone", "wecom", "api"] as const;
const CHANNEL_WEIGHT: Record<string, number> = { email: 30, portal: 25, widget: 15, phone: 15, wecom: 10, api: 5 };
/** Share of requests that arrive with every required field, by channel: forms ask, mail and chat do not. */
const COMPLETE_RATE: Record<string, number> = { portal: 0.97, widget: 0.9, api: 0.95, phone: 0.86, email: 0.7, wecom: 0.66 };

export const orderNo = (r: Rng) => `DD${20260000 + Math.floor(r.next() * 9_999_999)}`;

/** Kinds of request that read alike, where the desk files some under the other. */
const NEIGHBOURS: Record<string, string> = {
  退换货: "物流查询",
  物流查询: "退换货",
  投诉建议: "物流查询",
  账户与会员: "登录问题",
  登录问题: "账户与会员",
};

/**
 * One ticket's plausible life, written as the product writes it: the creation (complete or
 * 信息不全), routing to the department's team (VIP desk for VIP customers) with its decision, replies
 * in the agents' shifts, sometimes a hand-off to another department (转派), a request for the
 * missing information, waiting on the customer, an urge, solving on the first reply or after a
 * conversation, a reopening, the customer's rating and the automatic close.
 */
export function planTicket(
  r: Rng,
  world: DemoWorld,
  customers: DemoCustomer[],
  /** Per category, the customers who recently asked about it (some come back with the same problem). */
  recentBy: Map<string, number[]>,
  created: number,
  /** The category, when the workspace wants this one (else drawn by the categories' weights). */
  categoryName?: string,
): PlannedTicket {
  const drawn = r.weighted(talk.categories, (c) => c.weight);
  const category = talk.categories.find((c) => c.name === categoryName) ?? drawn;
  const cat = world.categories.get(category.name) as { id: number; departmentId: number; requires: string[] };
  const vipPool = customers.filter((c) => c.tier !== "normal");
  let customer = r.chance(0.15) && vipPool.length ? r.pick(vipPool) : r.pick(customers);
  // Some customers come back with the same kind of problem (重复来单).
  const recent = recentBy.get(category.name) ?? [];
  if (r.chance(0.06) && recent.length) customer = customers.find((c) => c.id === r.pick(recent)) ?? customer;
  recentBy.set(category.name, [...recent.slice(-19), customer.id]);

  const channel = r.weighted(CHANNELS, (c) => CHANNEL_WEIGHT[c] ?? 1);
  const priority =
    customer.tier === "vip"
      ? r.weighted(["normal", "high", "urgent"] as const, (p) => ({ normal: 4, high: 5, urgent: 1 })[p])
      : r.weighted(["low", "normal", "high", "urgent"] as const, (p) => ({ low: 15, normal: 65, high: 16, urgent: 4 })[p]);
  const missing = cat.requires.filter(() => !r.chance(COMPLETE_RATE[channel] ?? 0.9));
  const values: Record<string, string> = {};
  for (const key of cat.requires)
    if (!missing.includes(key)) values[key] = key === "order_no" ? orderNo(r) : r.pick(["LD-200", "LD-300 Pro", "X1 扫地机器人"]);

  const story = new TicketStory(r, world, customer, created, channel, cat.departmentId);
  story.customerEvent("created", created, {
    after: json({ status: "new", priority, channel, categoryId: cat.id, departmentId: cat.departmentId }),
    data: json({ complete: missing.length === 0 }),
  });
  if (missing.length) story.systemEvent("info_missing", created, { data: json({ fields: missing }) });
  story.routeOnCreation(customer.tier === "vip" ? world.vipTeamId : (world.departmentTeam.get(cat.departmentId) ?? null));

  // The request and its answers: the first one asks or acknowledges, the last one solves. A few read
  // like a neighbouring kind but were filed under this one (a damaged parcel as 退换货 or as 物流查询):
  // the desk's own labels are not perfectly consistent, so 智能分类's accuracy is not 100%.
  const neighbour = talk.categories.find((c) => c.name === NEIGHBOURS[category.name]);
  const request = r.pick((neighbour && r.chance(0.05) ? neighbour : category).cases);

  // How this ticket goes: most get answered within the hour of someone being at work; a tail waits
  // long — but not one an agent claimed (抢单): claiming is taking it up to answer now.
  const slow = r.chance(0.14) && !story.claimed;
  const firstDelay = slow ? r.around(420, 0.5) : r.around(customer.tier === "vip" ? 8 : 22, 0.7);
  const fcr = missing.length === 0 && r.chance(0.52);
  const handOff = talk.handOffs[category.name];
  const transfers = handOff && !fcr && r.chance(0.22);
  const reopens = r.chance(0.055);
  const rates = r.chance(0.46);

  if (r.chance(0.18)) story.note(r.pick(talk.internalNotes));
  if (missing.length) {
    // 信息不全: the customer is asked for exactly what is missing, once, and answers.
    const asked = story.later(r.between(1, 3));
    if (story.inPast(asked)) {
      story.t = asked;
      story.systemEvent("info_requested", asked, { data: json({ fields: missing }) });
      const wanted = missing.map((k) => (k === "order_no" ? "订单号" : "设备型号")).join("、");
      story.staffReply(`您好，为了尽快处理，请补充：${wanted}。`, "pending", r.around(15));
      const answered = story.customerReply(missing.includes("order_no") ? `订单号是 ${orderNo(r)}` : "型号：LD-200", r.around(90, 1));
      if (answered) {
        for (const key of missing) values[key] = key === "order_no" ? orderNo(r) : "LD-200";
        story.customerEvent("info_completed", answered, { data: json({ fields: missing }) });
        missing.length = 0;
      }
    }
  }

  if (fcr) story.staffReply(request.solve, "solved", firstDelay);
  else {
    story.staffReply(request.ask, r.chance(0.4) ? "pending" : "open", firstDelay);
    if (transfers) story.transfer(world.departments.get(handOff.to) as number, () => r.pick(handOff.reasons));
    // The customer answers what was asked, or (now and then) only asks how long it will take.
    if (r.chance(0.55)) story.customerReply(r.chance(0.8) ? request.answer : "请问大概还要多久？", r.around(240, 1));
    if (slow && r.chance(0.5)) story.urge(r.around(180, 0.6), () => r.pick(["请尽快处理", "已经等了很久了", null]));
    if (r.chance(0.3)) story.staffReply(r.pick(talk.progressReplies), null, r.around(90, 0.8));
    if (category.name === "设备报修" && r.chance(0.3)) story.hold(r.between(5, 30));
    story.staffReply(request.solve, "solved", slow ? r.around(4000, 0.4) : r.around(480, 0.9));
  }
  if (reopens && story.solvedAt !== null) {
    const back = story.customerReply("问题又出现了，麻烦再看一下。", r.around(900, 0.8));
    if (back) story.staffReply(talk.reopenReply, "solved", r.around(240, 0.8));
  }
  const csat = rates ? rate(r, story, { fcr, slow }) : null;
  story.autoClose();
  story.recordLoad();
  return story.toPlanned(
    {
      subject: request.subject,
      description: request.detail,
      priority,
      category_id: cat.id,
      tags: customer.tier === "vip" ? ["VIP"] : r.chance(0.08) ? ["重复问题"] : [],
      custom_fields: JSON.stringify(values),
      missing_fields: missing,
    },
    csat,
  );
}

/** The customer's rating some hours after solving: faster, first-time answers get better ones. */
function rate(r: Rng, story: TicketStory, how: { fcr: boolean; slow: boolean }): PlannedTicket["csat"] {
  const solved = story.solvedAt;
  if (solved === null) return null;
  const at = solved + Math.round(r.around(180, 1.2) * MIN);
  if (!story.inPast(at) || at - solved >= 4 * DAY) return null;
  const good = (how.fcr ? 0.3 : 0) + (how.slow ? -0.45 : 0.1) + (story.transferCount ? -0.1 : 0) + (story.reopenCount ? -0.3 : 0);
  const rating = r.weighted(
    [5, 4, 3, 2, 1],
    (s) => ({ 5: 50 + 60 * good, 4: 28, 3: 10 - 8 * good, 2: 6 - 8 * good, 1: 6 - 8 * good })[s] ?? 1,
  );
  const comment = r.pick(talk.csatComments[rating] ?? [""]) || null;
  story.customerEvent("csat_received", at, { data: json({ rating, comment, via: "link" }) });
  return { rating, comment, sentAt: new Date(solved), answeredAt: new Date(at) };
}

/**
 * The desk's tail: a request still waiting for its first answer days after it came in (routed, not
 * answered). Created at 10:00 on the working day `weekdaysBack` before `now`, so its first-response
 * target has passed whatever the hour the demo is seeded at — the 已超时 view is never empty.
 */
export function planWaitingTicket(
  r: Rng,
  world: DemoWorld,
  customers: DemoCustomer[],
  { weekdaysBack, categoryName }: { weekdaysBack: number; categoryName: string },
): PlannedTicket {
  const now = world.now.getTime();
  const eight = 8 * 3_600_000;
  let created = Math.floor((now + eight) / DAY) * DAY - eight + 10 * 3_600_000;
  for (let back = 0; back < weekdaysBack; ) {
    created -= DAY;
    const weekday = new Date(created + eight).getUTCDay();
    if (weekday !== 0 && weekday !== 6) back++;
  }
  return planUnanswered(r, world, customers, { created, categoryName, channel: "email" });
}

/**
 * One of the newest pre-sales questions, `minutesAgo` before `now`: offered to the pre-sales team's
 * members at work, not claimed yet (分配 → 待抢单) — or, with nobody of them at work, assigned as
 * routing does. `nth` picks a different question for each.
 */
export function planOfferedTicket(r: Rng, world: DemoWorld, customers: DemoCustomer[], minutesAgo: number, nth: number): PlannedTicket {
  const created = world.now.getTime() - minutesAgo * MIN;
  return planUnanswered(r, world, customers, { created, categoryName: "产品咨询", channel: "widget", nth, unclaimed: true });
}

/** A request routed on creation and not answered yet. */
function planUnanswered(
  r: Rng,
  world: DemoWorld,
  customers: DemoCustomer[],
  opts: { created: number; categoryName: string; channel: string; nth?: number; unclaimed?: boolean },
): PlannedTicket {
  const { created, channel } = opts;
  const category = talk.categories.find((c) => c.name === opts.categoryName) ?? talk.categories[0];
  const cat = world.categories.get(category.name) as { id: number; departmentId: number };
  const normal = customers.filter((c) => c.tier === "normal");
  const customer = r.pick(normal.length ? normal : customers);
  const story = new TicketStory(r, world, customer, created, channel, cat.departmentId);
  story.customerEvent("created", created, {
    after: json({ status: "new", priority: "normal", channel, categoryId: cat.id, departmentId: cat.departmentId }),
    data: json({ complete: true }),
  });
  story.routeOnCreation(world.departmentTeam.get(cat.departmentId) ?? null, { unclaimed: opts.unclaimed ?? false });
  story.handBackUntilNow();
  story.recordLoad();
  const request = opts.nth === undefined ? r.pick(category.cases) : category.cases[opts.nth % category.cases.length];
  return story.toPlanned(plainRequest(request, cat.id), null);
}

/** A request as the demo's tails file it: normal priority, no tags, the fields it needs given (`values`). */
export function plainRequest(request: talk.DemoCase, categoryId: number, values: Record<string, string> = {}) {
  return {
    subject: request.subject,
    description: request.detail,
    priority: "normal" as const,
    category_id: categoryId,
    tags: [] as string[],
    custom_fields: JSON.stringify(values),
    missing_fields: [] as string[],
  };
}
