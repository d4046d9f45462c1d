import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { refreshQueries } from "../src/app/useLiveEvents";

/** A list whose answers are the number of the fetch, each answered after `ms`. */
function list(qc: QueryClient, ms: number) {
  let fetches = 0;
  const observer = new QueryObserver(qc, {
    queryKey: ["tickets", { status: "open" }],
    queryFn: async () => {
      const n = ++fetches;
      await new Promise((r) => setTimeout(r, ms));
      return n;
    },
  });
  const seen: number[] = [];
  const stop = observer.subscribe((r) => r.data !== undefined && seen.push(r.data));
  return { seen, stop, fetches: () => fetches };
}

describe("live refresh", () => {
  it("a change announced while the list's first load is under way is fetched once that load is done", async () => {
    const qc = new QueryClient();
    const l = list(qc, 30);
    await new Promise((r) => setTimeout(r, 5)); // the first load is in flight
    await refreshQueries(qc, ["tickets"]);
    await new Promise((r) => setTimeout(r, 120));
    expect(l.fetches()).toBe(2);
    expect(l.seen.at(-1)).toBe(2);
    l.stop();
  });

  it("a loaded list is fetched again once per change", async () => {
    const qc = new QueryClient();
    const l = list(qc, 5);
    await new Promise((r) => setTimeout(r, 30));
    await refreshQueries(qc, ["tickets"]);
    await new Promise((r) => setTimeout(r, 30));
    expect(l.fetches()).toBe(2);
    expect(l.seen.at(-1)).toBe(2);
    l.stop();
  });
});
