/** Colours for status and priority tags, shared by the list and the ticket page. */
export const statusColor: Record<string, string> = {
  new: "gold",
  open: "red",
  pending: "blue",
  on_hold: "purple",
  solved: "green",
  closed: "default",
};
export const priorityColor: Record<string, string> = { low: "default", normal: "blue", high: "orange", urgent: "red" };
export const statuses = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export const priorities = ["low", "normal", "high", "urgent"] as const;
export const tierColor: Record<string, string> = { normal: "default", silver: "geekblue", gold: "gold", vip: "magenta" };
