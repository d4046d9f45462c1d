/**
 * localStorage / sessionStorage that never throw. A browser may deny storage to a page embedded in
 * another site (the widget's iframe when third-party storage is blocked); the app then keeps
 * values in memory for as long as the page lives instead of failing to start.
 */
type Kind = "local" | "session";
const memory: Record<Kind, Map<string, string>> = { local: new Map(), session: new Map() };

function store(kind: Kind): Storage | null {
  try {
    const s = kind === "local" ? window.localStorage : window.sessionStorage;
    s.getItem("");
    return s;
  } catch {
    return null;
  }
}

export function readStored(kind: Kind, key: string): string | null {
  const s = store(kind);
  return s ? s.getItem(key) : (memory[kind].get(key) ?? null);
}

export function writeStored(kind: Kind, key: string, value: string) {
  const s = store(kind);
  try {
    if (s) s.setItem(key, value);
    else memory[kind].set(key, value);
  } catch {
    memory[kind].set(key, value); // full or denied on write
  }
}
