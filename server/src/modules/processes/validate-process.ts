import type { ProcessCondition, ProcessGraph, StepOwner, ValidationProblem } from "@loopdesk/contracts/processes";
import { conditionFields } from "@loopdesk/contracts/rules";
import { GraphIndex } from "./process-engine";

/** What exists in the workspace, for the references a definition makes (owners, fields, calendars, sub-processes). */
export type ProcessRefs = {
  departments: Set<number>;
  teams: Set<number>;
  staff: Set<number>;
  calendars: Set<number>;
  ticketFields: Set<string>;
  processKeys: Set<string>;
  categories: Set<number>;
};

const MESSAGES: Record<string, string> = {
  no_start: "The process needs one start node.",
  many_starts: "The process has more than one start node.",
  no_end: "The process needs at least one end node.",
  duplicate_node: "Two nodes have the same id.",
  dangling_edge: "The connection points to a node that does not exist.",
  start_incoming: "Nothing may lead into the start node.",
  end_outgoing: "Nothing may leave an end node.",
  unreachable: "No path from the start reaches this node.",
  dead_end: "This node leads nowhere: connect it onward.",
  no_way_to_end: "No path from this node reaches an end.",
  one_outgoing: "A step has exactly one connection onward (use a gateway to branch).",
  gateway_without_default: "A condition branch needs a default path (taken when no condition holds).",
  many_defaults: "A condition branch has more than one default path.",
  split_needs_branches: "A parallel split needs at least two branches.",
  join_needs_branches: "A parallel join needs at least two incoming branches and one connection onward.",
  join_without_split: "This join has no parallel split whose branches all lead into it.",
  unknown_reject_target: "A rejection must go back to an existing step.",
  unknown_department: "The department no longer exists.",
  unknown_team: "The team no longer exists.",
  unknown_staff: "The person no longer exists or is deactivated.",
  unknown_calendar: "The business calendar no longer exists.",
  customer_cannot_approve: "The customer cannot be an approver.",
  unknown_field: "The condition refers to a field that does not exist.",
  unknown_step_field: "The condition refers to a step field that does not exist.",
  duplicate_field: "Two fields of the form have the same key.",
  select_without_options: "A choice field needs options.",
  unknown_show_when: "The field is shown depending on a field that is not in this form.",
  invalid_pattern: "The pattern is not a valid regular expression.",
  unknown_process: "The sub-process does not exist or has no published version.",
  self_subprocess: "A process cannot run itself as a sub-process.",
};

/** The ticket fields a process condition may read: the rule language's, without those of a waking event. */
const RULE_FIELDS = new Set<string>(conditionFields.filter((f) => !f.includes(".")));

const problem = (code: string, nodeId: string | null = null, edgeId: string | null = null): ValidationProblem => ({
  nodeId,
  edgeId,
  code,
  message: MESSAGES[code] ?? code,
});

/** Nodes reachable from `from` along the edges (or against them). */
function reach(g: GraphIndex, from: string[], backwards = false) {
  const seen = new Set(from);
  const stack = [...from];
  while (stack.length) {
    const id = stack.pop() as string;
    for (const e of backwards ? g.in(id) : g.out(id)) {
      const next = backwards ? e.source : e.target;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

function ownerProblems(owner: StepOwner, refs: ProcessRefs, nodeId: string): ValidationProblem[] {
  if (owner.type === "department" && !refs.departments.has(owner.departmentId)) return [problem("unknown_department", nodeId)];
  if (owner.type === "role" && owner.departmentId !== null && !refs.departments.has(owner.departmentId))
    return [problem("unknown_department", nodeId)];
  if (owner.type === "team" && !refs.teams.has(owner.teamId)) return [problem("unknown_team", nodeId)];
  if (owner.type === "staff" && !refs.staff.has(owner.staffId)) return [problem("unknown_staff", nodeId)];
  return [];
}

/**
 * Every problem of a definition, each pinned to its node or connection: structure (one start,
 * reachable nodes, no dead ends, joins with their split, gateways with a default) and references
 * (owners, fields, calendars and sub-processes that exist). Publishing refuses a graph with any.
 */
export function validateProcess(graph: ProcessGraph, refs: ProcessRefs, selfKey?: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const ids = new Set<string>();
  for (const n of graph.nodes) {
    if (ids.has(n.id)) problems.push(problem("duplicate_node", n.id));
    ids.add(n.id);
  }
  for (const e of graph.edges) if (!ids.has(e.source) || !ids.has(e.target)) problems.push(problem("dangling_edge", null, e.id));
  const g = new GraphIndex({ nodes: graph.nodes, edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
  const starts = graph.nodes.filter((n) => n.type === "start");
  if (starts.length === 0) problems.push(problem("no_start"));
  for (const s of starts.slice(1)) problems.push(problem("many_starts", s.id));
  const ends = graph.nodes.filter((n) => n.type === "end");
  if (ends.length === 0) problems.push(problem("no_end"));

  const reachable = reach(
    g,
    starts.map((s) => s.id),
  );
  const toEnd = reach(
    g,
    ends.map((e) => e.id),
    true,
  );
  // Form fields of each step, for conditions that read `step.<node>.<key>`.
  const stepFields = new Map<string, Set<string>>();
  for (const n of graph.nodes) if (n.type === "task" || n.type === "approval") stepFields.set(n.id, new Set(n.form.map((f) => f.key)));
  const checkConditions = (conds: ProcessCondition[], nodeId: string | null, edgeId: string | null) => {
    for (const c of conds) {
      const step = /^step\.([^.]+)\.(.+)$/.exec(c.field);
      if (step) {
        if (!stepFields.get(step[1] as string)?.has(step[2] as string)) problems.push(problem("unknown_step_field", nodeId, edgeId));
      } else if (c.field.startsWith("customFields.")) {
        if (!refs.ticketFields.has(c.field.slice("customFields.".length))) problems.push(problem("unknown_field", nodeId, edgeId));
      } else if (!RULE_FIELDS.has(c.field)) problems.push(problem("unknown_field", nodeId, edgeId));
    }
  };

  for (const n of graph.nodes) {
    const out = g.out(n.id);
    const inc = g.in(n.id);
    if (n.type !== "start" && starts.length > 0 && !reachable.has(n.id)) problems.push(problem("unreachable", n.id));
    if (n.type !== "end" && out.length === 0) problems.push(problem("dead_end", n.id));
    else if (n.type !== "end" && ends.length > 0 && !toEnd.has(n.id)) problems.push(problem("no_way_to_end", n.id));
    switch (n.type) {
      case "start":
        if (inc.length) problems.push(problem("start_incoming", n.id));
        if (out.length > 1) problems.push(problem("one_outgoing", n.id));
        break;
      case "end":
        if (out.length) problems.push(problem("end_outgoing", n.id));
        break;
      case "exclusive": {
        const defaults = out.filter((e) => e.isDefault);
        if (out.length && defaults.length === 0) problems.push(problem("gateway_without_default", n.id));
        if (defaults.length > 1) problems.push(problem("many_defaults", n.id));
        for (const e of out) checkConditions(e.when, n.id, e.id);
        break;
      }
      case "parallel_split":
        if (out.length < 2) problems.push(problem("split_needs_branches", n.id));
        break;
      case "parallel_join": {
        if (inc.length < 2 || out.length !== 1) problems.push(problem("join_needs_branches", n.id));
        // Some split must lead into every branch of the join.
        const splits = graph.nodes.filter((s) => s.type === "parallel_split");
        const feeds = (s: string) => {
          const fromSplit = reach(g, [s]);
          return inc.every((e) => fromSplit.has(e.source));
        };
        if (inc.length >= 2 && !splits.some((s) => feeds(s.id))) problems.push(problem("join_without_split", n.id));
        break;
      }
      case "task":
      case "approval": {
        if (out.length > 1) problems.push(problem("one_outgoing", n.id));
        if (n.type === "task") problems.push(...ownerProblems(n.owner, refs, n.id));
        else {
          for (const level of n.levels) {
            for (const a of level.approvers) {
              if (a.type === "customer") problems.push(problem("customer_cannot_approve", n.id));
              else problems.push(...ownerProblems(a, refs, n.id));
            }
            checkConditions(level.when, n.id, null);
          }
          if (n.rejectTo !== null) {
            const target = g.nodes.get(n.rejectTo);
            if (!target || (target.type !== "task" && target.type !== "approval")) problems.push(problem("unknown_reject_target", n.id));
          }
        }
        if (n.target?.calendarId != null && !refs.calendars.has(n.target.calendarId)) problems.push(problem("unknown_calendar", n.id));
        if (n.target?.escalateTo) problems.push(...ownerProblems(n.target.escalateTo, refs, n.id));
        const keys = new Set<string>();
        for (const f of n.form) {
          if (keys.has(f.key)) problems.push(problem("duplicate_field", n.id));
          keys.add(f.key);
          if ((f.type === "select" || f.type === "multi_select") && f.options.length === 0)
            problems.push(problem("select_without_options", n.id));
          if (f.pattern) {
            try {
              new RegExp(f.pattern, "u");
            } catch {
              problems.push(problem("invalid_pattern", n.id));
            }
          }
        }
        for (const f of n.form) if (f.showWhen && !keys.has(f.showWhen.field)) problems.push(problem("unknown_show_when", n.id));
        break;
      }
      case "subprocess":
        if (out.length > 1) problems.push(problem("one_outgoing", n.id));
        if (n.processKey === selfKey) problems.push(problem("self_subprocess", n.id));
        else if (!refs.processKeys.has(n.processKey)) problems.push(problem("unknown_process", n.id));
        break;
    }
  }
  return problems;
}
