import type { CustomerState } from "@loopdesk/contracts/tickets";

/** The customer's words for where a request stands, and its colour. */
export const stateColor: Record<CustomerState, string> = {
  in_progress: "processing",
  awaiting_you: "warning",
  solved: "success",
  closed: "default",
};

/** The steps a request goes through, as the customer follows them. */
export const journey = ["received", "in_progress", "solved"] as const;

/** Which step is current: a request waiting on the customer is still being handled. */
export function currentStep(state: CustomerState) {
  return state === "solved" || state === "closed" ? 2 : 1;
}
