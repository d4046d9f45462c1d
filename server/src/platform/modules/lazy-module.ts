import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/**
 * A dependency loaded the first time it is used, not at start: heavy packages few requests need
 * (spreadsheets, charts, mail parsing, passkeys) cost no memory or start-up time until then
 * (issue 23). A static `import` would load them with the server (the compiled server hoists them).
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= load(name) as T;
    return loaded;
  };
}
