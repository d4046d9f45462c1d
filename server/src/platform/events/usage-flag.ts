import type { Executor } from "../jobs/job-queue";

type State = { inUse: boolean; checkedAt: number; checking: boolean };

/**
 * Whether an optional feature (SLA policies, webhooks, triggers…) is in use, as this process last
 * saw it per database: answered instantly from memory, refreshed in the background at most every
 * `ttlMs`, and true until known otherwise. A subscriber's `active()` uses it so an unused feature
 * costs no job per event. After enabling the feature (even inside its transaction), call
 * `markInUse` so this process notices at once; other processes notice within `ttlMs`.
 */
export function usageFlag(isInUse: (db: Executor) => Promise<boolean>, ttlMs = 5_000) {
  const byDatabase = new WeakMap<object, State>();
  const stateOf = (db: Executor) => {
    // A database and its transactions share one adapter object: the key for "this database".
    const key = db.getExecutor().adapter;
    let state = byDatabase.get(key);
    if (!state) {
      state = { inUse: true, checkedAt: 0, checking: false };
      byDatabase.set(key, state);
    }
    return state;
  };
  return {
    ttlMs,
    inUse(db: Executor) {
      const state = stateOf(db);
      if (!state.checking && Date.now() - state.checkedAt > ttlMs) {
        state.checking = true;
        isInUse(db)
          .then((inUse) => {
            state.inUse = inUse;
            state.checkedAt = Date.now();
          })
          .catch(() => {
            state.inUse = true;
          })
          .finally(() => {
            state.checking = false;
          });
      }
      return state.inUse;
    },
    markInUse(db: Executor) {
      const state = stateOf(db);
      state.inUse = true;
      // Trusted for a full period: the caller may not have committed yet, and a check made now
      // (on another connection) would not see the feature and switch it off again.
      state.checkedAt = Date.now();
    },
  };
}
