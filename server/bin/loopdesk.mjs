#!/usr/bin/env node
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
