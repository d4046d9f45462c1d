import type { Conditions, RuleAction } from "@loopdesk/contracts/rules";

type RuleFields = { name?: string; position?: number; active?: boolean; conditions?: Conditions; actions?: RuleAction[] };

/** The columns triggers and automations share, for the keys a create or patch body has. */
export const ruleColumns = (input: RuleFields) => ({
  ...(input.name !== undefined ? { name: input.name } : {}),
  ...(input.position !== undefined ? { position: input.position } : {}),
  ...(input.active !== undefined ? { active: input.active } : {}),
  ...(input.conditions !== undefined ? { conditions: JSON.stringify(input.conditions) } : {}),
  ...(input.actions !== undefined ? { actions: JSON.stringify(input.actions) } : {}),
});
