/** Text another part of the ticket page (a recommended article, a similar ticket) puts into the reply being written. */
const bus = new EventTarget();

export const insertIntoReply = (text: string) => bus.dispatchEvent(new CustomEvent<string>("insert", { detail: text }));

/** The composer listens while it is shown; answers the function that stops listening. */
export function onInsertIntoReply(handler: (text: string) => void) {
  const listener = (e: Event) => handler((e as CustomEvent<string>).detail);
  bus.addEventListener("insert", listener);
  return () => bus.removeEventListener("insert", listener);
}
