#!/usr/bin/env -S node --max-semi-space-size=4 --v8-pool-size=1
// The Node flags above are the ones `npm start` gives the server (package.json): a young generation
// of 4 MiB semi-spaces and one V8 background thread hold an idle server at about 230 MiB instead of
// about 300 (issue 23, docs/scaling.md); `env -S` passes them from this line.
// `loopdesk <command>`: the compiled server (server/dist, made by `npm start` or `npm run build`)
// when it is there; otherwise the TypeScript entry point through tsx's loader (development).
import fs from "node:fs";

const compiled = new URL("../dist/main.js", import.meta.url);
if (fs.existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main.ts");
}
