import { isOnShift } from "../routing/shifts";
import * as talk from "./demo-conversations";
import type { Rng } from "./demo-rng";
import { TicketStory } from "./demo-routed-story";
import { orderNo, plainRequest } from "./demo-ticket-life";
import { type DemoAgent, type DemoCustomer, type DemoWorld, MIN, type PlannedTicket, json } from "./demo-world";

/** The agent whose desk the demo carries over (README: `lina@demo.loopdesk.local`). */
export const DESK_AGENT = "李娜";
const CATEGORY = "退换货";
/**
 * Where each request on her desk stands: she asked and waits for the customer; the customer
 * answered after she asked (her move); she put it on hold for the warehouse; the customer urged.
 */
const STANDING = ["waiting_customer", "answered", "on_hold", "urged"] as const;
const CHANNELS = ["email", "portal", "phone", "wecom"];
/** Requests on the desk (the demo's size counts them). */
export const DESK_SIZE = STANDING.length;

/**
 * An agent's desk carried over from her last shift: after-sales requests she took and answered
 * that are still hers — waiting for the customer, answered by the customer, on hold, urged. The
 * rest of the demo's tickets are mostly solved within hours, so without these an agent seen on her
 * day off or in the evening would have an empty 我的工单. Answered requests stay with her when she
 * is off shift (only untouched ones are handed back), as in a real desk on a Monday morning.
 */
export function planCarriedDesk(r: Rng, world: DemoWorld, customers: DemoCustomer[], agent: DemoAgent): PlannedTicket[] {
  const slots = lastShiftMoments(world, agent);
  if (slots.length === 0) return [];
  const category = talk.categories.find((c) => c.name === CATEGORY) ?? talk.categories[0];
  const cat = world.categories.get(category.name) as { id: number; departmentId: number; requires: string[] };
  const normal = customers.filter((c) => c.tier === "normal");
  const teamId = agent.teamIds[0] as number;
  return STANDING.map((standing, i) => {
    const created = slots[Math.floor((i * slots.length) / STANDING.length)] as number;
    const customer = r.pick(normal.length ? normal : customers);
    const channel = r.pick(CHANNELS);
    const request = category.cases[i % category.cases.length] as talk.DemoCase;
    const values: Record<string, string> = {};
    for (const key of cat.requires) values[key] = key === "order_no" ? orderNo(r) : "LD-200";
    const story = new TicketStory(r, world, customer, created, channel, cat.departmentId);
    story.customerEvent("created", created, {
      after: json({ status: "new", priority: "normal", channel, categoryId: cat.id, departmentId: cat.departmentId }),
      data: json({ complete: true }),
    });
    story.routeTo(agent.id, teamId);
    story.staffReply(request.ask, standing === "waiting_customer" || standing === "answered" ? "pending" : "open", r.between(4, 12));
    if (standing === "answered") story.customerReply(request.answer, r.between(20, 90));
    if (standing === "on_hold") story.hold(r.between(5, 15));
    if (standing === "urged") story.urge(r.between(30, 90), () => "请尽快处理，谢谢");
    story.recordLoad();
    return story.toPlanned(plainRequest(request, cat.id, values), null);
  });
}

/**
 * Up to four hours of the agent's latest shift time before `now`, oldest first, in ten-minute steps:
 * moments when she was at work and still was half an hour later (time for her first answer).
 */
function lastShiftMoments(world: DemoWorld, agent: DemoAgent): number[] {
  const onShift = (t: number) => isOnShift(agent.shifts, [], new Date(t), world.timeZone);
  const step = 10 * MIN;
  const latest = Math.floor((world.now.getTime() - 45 * MIN) / step) * step;
  const moments: number[] = [];
  for (let t = latest; moments.length < 24 && t > latest - 8 * 24 * 60 * MIN; t -= step)
    if (onShift(t) && onShift(t + 30 * MIN)) moments.push(t);
  return moments.reverse();
}
