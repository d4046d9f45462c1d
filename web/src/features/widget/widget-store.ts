import { readStored, writeStored } from "../../app/browser-storage";

/** The visitor's widget tickets (number, subject, key), kept in this browser only. */
export type WidgetTicket = { number: number; subject: string; token: string };

const KEY = "loopdesk.widget.tickets";

export function storedTickets(): WidgetTicket[] {
  try {
    const parsed = JSON.parse(readStored("local", KEY) ?? "[]");
    return Array.isArray(parsed) ? (parsed as WidgetTicket[]).filter((t) => typeof t.token === "string") : [];
  } catch {
    return [];
  }
}

export function storeTicket(ticket: WidgetTicket) {
  writeStored("local", KEY, JSON.stringify([ticket, ...storedTickets().filter((t) => t.token !== ticket.token)].slice(0, 20)));
}
