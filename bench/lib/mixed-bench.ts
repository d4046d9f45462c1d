import http from "node:http";
import nodemailer from "nodemailer";
import { generateCorpus } from "./classification-corpus";
import { percentiles, round } from "./load";

/**
 * Issue 23: a working day in miniature. Agents (each signed in, online for routing) list their
 * queues, open tickets, reply and solve them with think times of seconds; customers open tickets
 * by the API, the portal and email (SMTP), reply and urge in the portal — with routing, an SLA policy, a trigger and a webhook active. Arrival rates rise step by
 * step for a fixed time each; a step is held when every request kind's p99 stays within 300 ms,
 * no request fails, the arrivals kept their pace and the background jobs kept up (at the step's
 * end no more are due than five seconds of arrivals cause). The client is this module's own loop of fetch calls
 * (open model: requests are sent at their time whatever the server's speed; latency counted from
 * then).
 */
type Session = { cookie: string; csrf: string };
/** status: the HTTP status, 0 when the request failed without one. */
type Recorder = (kind: string, ms: number, status: number) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(base: string, email: string, password: string, as?: "customer"): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, ...(as ? { as } : {}) }),
  });
  if (!res.ok) throw new Error(`sign-in failed for ${email}: ${res.status} ${await res.text()}`);
  const cookie =
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith("loopdesk_session="))
      ?.split(";")[0] ?? "";
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function caller(base: string, record: Recorder, auth?: { session?: Session; bearer?: string }) {
  return async (kind: string, method: string, url: string, body?: unknown) => {
    const t0 = performance.now();
    let status = 0;
    try {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...(auth?.session ? { cookie: auth.session.cookie, "x-csrf-token": auth.session.csrf } : {}),
          ...(auth?.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      status = res.status;
      return status < 400 && text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    } finally {
      record(kind, performance.now() - t0, status);
    }
  };
}

export async function benchMixed(opts: {
  url: string;
  smtpPort: number;
  admin: { email: string; password: string };
  agents: number;
  rates: number[];
  stepSeconds: number;
  cpu: () => number;
  /** Gives a customer (by email) a portal password: the portal's customers urge. */
  setCustomerPassword: (email: string, password: string) => Promise<boolean>;
  portalCustomers: number;
  /** Background jobs due and not yet done (routing, SLA, triggers, webhooks, mail intake…). */
  backlog: () => Promise<number>;
  onStep?: (step: Record<string, unknown>) => void;
}) {
  const base = opts.url;
  const noop: Recorder = () => {};
  const admin = await signIn(base, opts.admin.email, opts.admin.password);
  const adminCall = caller(base, noop, { session: admin });
  const must = async (method: string, url: string, body?: unknown) => {
    const out = await adminCall("setup", method, url, body);
    if (out === undefined && method !== "PUT") throw new Error(`setup failed: ${method} ${url}`);
    return out as Record<string, unknown>;
  };
  // The workspace: five departments, the agents spread over them, rules of a real desk.
  const deps: { id: number }[] = [];
  for (const name of ["售前咨询", "售后服务", "技术支持", "仓储物流", "财务"])
    deps.push((await must("POST", "/api/v1/departments", { name })) as { id: number });
  await must("POST", "/api/v1/sla-policies", {
    name: "标准响应",
    firstResponseMinutes: 240,
    resolutionMinutes: 2880,
    businessHours: false,
  });
  await must("POST", "/api/v1/triggers", {
    name: "投诉加急",
    events: ["created"],
    conditions: { all: [{ field: "text", op: "contains", value: "投诉" }] },
    actions: [{ type: "add_tags", tags: ["投诉"] }],
  });
  // The webhook's receiver: a local HTTP server that answers at once.
  let webhookCalls = 0;
  const sink = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      webhookCalls++;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
  const sinkPort = (sink.address() as { port: number }).port;
  await must("POST", "/api/v1/webhooks", { name: "ERP", url: `http://127.0.0.1:${sinkPort}/hook`, events: ["ticket.created"] });
  await must("POST", "/api/v1/mailboxes", { name: "客服邮箱", address: "support@bench.local" });

  const agentSessions: { id: number; session: Session }[] = [];
  for (let i = 0; i < opts.agents; i++) {
    const email = `agent${i}@bench.local`;
    const staff = (await must("POST", "/api/v1/staff", {
      email,
      name: `客服${i}`,
      password: "agent-password-1",
      departmentIds: [deps[i % deps.length]?.id],
    })) as { id: number };
    agentSessions.push({ id: staff.id, session: await signIn(base, email, "agent-password-1") });
  }
  const tokenRes = (await must("POST", "/api/v1/tokens", { name: "bench", scopes: ["tickets:read", "tickets:write"] })) as {
    token: string;
  };

  const samples = new Map<string, { ms: number[]; errors: number; refused: number }>();
  let recording = false;
  // A refusal the product means (an urge too soon after the last: 409/429) is counted apart from failures.
  const record: Recorder = (kind, ms, status) => {
    if (!recording || kind === "setup") return;
    const s = samples.get(kind) ?? { ms: [], errors: 0, refused: 0 };
    s.ms.push(ms);
    if (status === 0 || status >= 500) s.errors++;
    else if (status >= 400) s.refused++;
    samples.set(kind, s);
  };
  const api = caller(base, record, { bearer: tokenRes.token });
  const corpus = generateCorpus(6000, 29);
  const portalCustomers: { session: Session; api: ReturnType<typeof caller>; tickets: number[] }[] = [];
  const mail = nodemailer.createTransport({
    host: "127.0.0.1",
    port: opts.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 4,
  });

  // Agents: online for routing, then their loop until the run ends.
  let running = true;
  const agentLoops = agentSessions.map(async ({ id, session }, i) => {
    const call = caller(base, record, { session });
    await call("setup", "PUT", "/api/v1/routing/me/presence", { presence: "online" });
    await sleep((i * 7919) % 10_000);
    while (running) {
      const roll = Math.random();
      if (roll < 0.4) {
        await call("agent: list my queue", "GET", "/api/v1/tickets?assignee=me&status=open,new,pending&limit=50");
      } else if (roll < 0.6) {
        await call("agent: list department queue", "GET", "/api/v1/tickets?status=new,open&limit=50");
      } else {
        const queue = (await call("agent: list department queue", "GET", "/api/v1/tickets?status=new,open&limit=20")) as
          | { items: { id: number }[] }
          | undefined;
        const pick = queue?.items[Math.floor(Math.random() * (queue?.items.length ?? 0))];
        if (pick) {
          await call("agent: open ticket", "GET", `/api/v1/tickets/${pick.id}`);
          await call("agent: open ticket", "GET", `/api/v1/tickets/${pick.id}/messages`);
          await sleep(2000 + Math.random() * 4000); // reading and typing
          if (!running) break;
          const solve = Math.random() < 0.3;
          await call("agent: reply", "POST", `/api/v1/tickets/${pick.id}/messages`, {
            body: solve ? "已为您处理完毕，如有问题请随时联系。" : "您好，我们已收到，正在核实，请稍候。",
            ...(solve ? { status: "solved" } : {}),
          });
        }
      }
      await sleep(5000 + Math.random() * 10_000); // think time
    }
    void id;
  });

  // A few portal customers who urge (created by the API, given a password in the portal).
  const steps: Record<string, unknown>[] = [];
  let n = 0;
  const arrive = async (k: number) => {
    const item = corpus[k % corpus.length] as { text: string };
    const subject = item.text.slice(0, 24);
    const description = `${item.text}\n订单号 DD${20260000 + k}`;
    const channel = k % 20;
    if (channel < 8) {
      await api("customer: create by API", "POST", "/api/v1/tickets", {
        subject,
        description,
        customer: { email: `api${k % 5000}@example.cn` },
        departmentId: deps[k % deps.length]?.id,
      });
    } else if (channel < 15) {
      const c = portalCustomers[k % portalCustomers.length] as (typeof portalCustomers)[number];
      const created = (await c.api("customer: create in portal", "POST", "/api/v1/tickets", { subject, description })) as
        | { id: number }
        | undefined;
      if (created) c.tickets.push(created.id);
    } else {
      const t0 = performance.now();
      let ok = true;
      try {
        await mail.sendMail({
          from: `客户${k % 5000} <mail${k % 5000}@example.cn>`,
          to: "support@bench.local",
          subject,
          text: description,
        });
      } catch {
        ok = false;
      }
      record("customer: send email (SMTP accepted)", performance.now() - t0, ok ? 250 : 0);
    }
  };
  // Customers come back to their own tickets: a reply now and then, an urge when it takes long.
  const followUp = async (k: number) => {
    const c = portalCustomers[(k * 7) % portalCustomers.length] as (typeof portalCustomers)[number];
    const t = c.tickets[Math.floor(Math.random() * c.tickets.length)];
    if (t === undefined) return;
    if (k % 3 !== 0) await c.api("customer: reply in portal", "POST", `/api/v1/tickets/${t}/messages`, { body: "请问处理得怎么样了？" });
    else await c.api("customer: urge", "POST", `/api/v1/tickets/${t}/urge`, { note: "很急" });
  };

  // Portal customers (made by the API, given a password), signed in before the first step.
  for (let i = 0; i < opts.portalCustomers; i++) {
    const email = `portal${i}@bench.local`;
    await must("POST", "/api/v1/customers", { name: `门户客户${i}`, email });
    await opts.setCustomerPassword(email, "customer-password-1");
    const session = await signIn(base, email, "customer-password-1", "customer");
    portalCustomers.push({ session, api: caller(base, record, { session }), tickets: [] });
  }

  try {
    for (const rate of opts.rates) {
      samples.clear();
      recording = true;
      const cpu0 = opts.cpu();
      const created0 = n;
      const t0 = performance.now();
      const inflight: Promise<unknown>[] = [];
      const total = Math.round(rate * opts.stepSeconds);
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const k = n++;
        inflight.push(arrive(k));
        if (i % 2 === 0) inflight.push(followUp(k));
      }
      const sentSeconds = (performance.now() - t0) / 1000;
      await Promise.all(inflight);
      recording = false;
      const cpuMs = (opts.cpu() - cpu0) * 1000;
      const kinds = Object.fromEntries(
        [...samples.entries()].map(([kind, s]) => [
          kind,
          { count: s.ms.length, errors: s.errors, refused: s.refused, ...percentiles(s.ms) },
        ]),
      );
      const worstP99 = Math.max(...Object.values(kinds).map((k) => k.p99Ms));
      // Kept up: what the step's tickets caused in the background is done within a few seconds.
      const backlog = await opts.backlog();
      const errors = Object.values(kinds).reduce((a, k) => a + k.errors, 0);
      const step = {
        ratePerSecond: rate,
        achievedPerSecond: round((n - created0) / sentSeconds),
        seconds: round(sentSeconds),
        worstP99Ms: round(worstP99),
        errors,
        backlogJobs: backlog,
        held: worstP99 <= 300 && errors === 0 && sentSeconds <= opts.stepSeconds * 1.05 && backlog <= rate * 5,
        cpuMsPerTicket: round(cpuMs / (n - created0)),
        webhookCalls,
        kinds,
      };
      steps.push(step);
      opts.onStep?.(step);
    }
  } finally {
    running = false;
    await Promise.race([Promise.all(agentLoops), sleep(20_000)]);
    mail.close();
    sink.close();
  }
  const held = steps.filter((s) => s.held).map((s) => s.ratePerSecond as number);
  return { agents: opts.agents, stepSeconds: opts.stepSeconds, steps, highestHeldPerSecond: held.length ? Math.max(...held) : 0 };
}
