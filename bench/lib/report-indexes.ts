type Timed = { url: string; withMs: number; withoutMs: number; caller?: string };
export type IndexResult = {
  at: string;
  tickets: number;
  statements: number;
  usage: { index: string; statements: number; examples: string[]; definition?: string; sizeMiB?: number }[];
  withAndWithout: { index: string; requests: number; timed: Timed[] }[];
};

/** What the review decided (migration 2026-12-05-0058), for the indexes the figures alone do not explain. */
const verdicts: Record<string, string> = {
  tickets_duplicate_of_idx: "**dropped**: no statement filters on it; tickets are never deleted, so no foreign-key check needs it",
  tickets_incomplete_idx: "**dropped**: no statement filters on it",
  tickets_unassigned_idx:
    "dropped, then **restored** (migration 0059): as fast without it on these 300,000 tickets, but the listing benchmark at 1,000,000 (the unassigned new queue) was not",
  tickets_status_priority_idx: "**dropped**: its requests are as fast without it",
  tickets_solved_idx: "**dropped**: its requests are as fast without it; the auto-close pass reads the few solved tickets by status",
  tickets_organization_idx: "kept: an organization's tickets (portal, search by company) — no organizations in this data",
  tickets_status_since_idx: "kept: time-based automations page through it — none defined in this run",
  tickets_sla_scored_idx: "kept: the periodic score pass over tickets with SLA points — no SLA policy in this run",
  tickets_team_idx: "kept: routing's per-team queues — no teams in this run",
  tickets_waiting_idx: "kept: routing's waiting queue (the board, offers) at scale",
  tickets_pkey: "key",
  tickets_number_key: "unique ticket number",
};

const when = (at: string) => `${at.slice(0, 16).replace("T", " ")} UTC`;

/** The index review of `tickets`: which statements used each index, and what its requests cost without it. */
export function indexSection(r: IndexResult | undefined): string[] {
  if (!r) return [];
  const timedOf = new Map(r.withAndWithout.map((w) => [w.index, w]));
  const worst = (index: string) => {
    const w = timedOf.get(index);
    if (!w?.timed.length) return "—";
    const t = w.timed.reduce((a, b) => (b.withoutMs / Math.max(b.withMs, 0.1) > a.withoutMs / Math.max(a.withMs, 0.1) ? b : a));
    return `${t.withMs} → ${t.withoutMs} ms (${t.caller ?? ""} \`${decodeURIComponent(t.url.replace(/^\/api\/v1/, ""))}\`)`;
  };
  return [
    `## Index review of \`tickets\` (issue 23) — ${when(r.at)}`,
    "",
    `\`npm run bench -- --only indexes\`: PostgreSQL with ${r.tickets.toLocaleString("en")} tickets (half a year of report data, half a desk in`,
    "every status, priority and with tags), every statement's plan logged by `auto_explain` while the API is used as an",
    "administrator, a supervisor, an agent and a customer do (each list view, sort and filter, search, the ticket page,",
    "reports, exports; creation with a repeat, reply, status and assignee changes, a merge) and the background passes run",
    `for a minute — ${r.statements.toLocaleString("en")} statements. Then each read request that used an index is timed (median of 7)`,
    "with the index and with it dropped; the column shows the request that lost most.",
    "",
    "| index | statements using it | MiB | slowest request without it | decision |",
    "|---|---:|---:|---|---|",
    ...r.usage.map((u) => `| \`${u.index}\` | ${u.statements} | ${u.sizeMiB ?? ""} | ${worst(u.index)} | ${verdicts[u.index] ?? "kept"} |`),
    "",
    "Two requests are slow with every index: an agent's list of urgent and high tickets of every status newest first",
    "(~140 ms: the agent's scope is an OR of department, participant and process-step conditions, so no single index",
    "yields that order), and the CSV export of every unsolved ticket (10,000 rows, ~340 ms). Neither is a queue an agent",
    "works from; they are left as they are.",
    "",
  ];
}
