// Compiles the server to plain JavaScript (server/dist) with esbuild: the server then starts
// without a TypeScript loader compiling some 600 files at every start (issue 23). The workspace's
// own packages (@loopdesk/contracts) are bundled in; every npm dependency stays in node_modules.
// Skipped when dist is newer than every source file (`--force` builds anyway).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rootDir = path.resolve(serverDir, "..");
const outDir = path.join(serverDir, "dist");
const sources = [path.join(serverDir, "src"), path.join(rootDir, "contracts", "src"), path.join(serverDir, "package.json")];

function newest(p) {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

const stamp = path.join(outDir, "main.js");
const fresh = fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= Math.max(...sources.map(newest));
if (fresh && !process.argv.includes("--force")) process.exit(0);

const pkg = (dir) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
const external = [...new Set([...Object.keys(pkg(serverDir).dependencies ?? {}), ...Object.keys(pkg(rootDir).dependencies ?? {})])].filter(
  (name) => !name.startsWith("@loopdesk/"),
);

const started = Date.now();
// Built beside, then swapped in: a server starting meanwhile sees the old build or the new one.
const building = `${outDir}.building-${process.pid}`;
await build({
  entryPoints: {
    main: path.join(serverDir, "src/main.ts"),
    // The classifier trains in a worker thread started from its own file.
    "train-worker": path.join(serverDir, "src/modules/classification/train-worker.ts"),
  },
  outdir: building,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Deep imports of a dependency (pkg/sub) are external too.
  external: external.flatMap((name) => [name, `${name}/*`]),
  sourcemap: true,
  logLevel: "warning",
});
const old = `${outDir}.old-${process.pid}`;
if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
fs.renameSync(building, outDir);
fs.rmSync(old, { recursive: true, force: true });
console.log(`server compiled to server/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
