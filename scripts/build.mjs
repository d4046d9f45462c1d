// `npm start` builds what changed since the last build, then the server starts from compiled
// JavaScript: the web app (Vite, into web/dist) and the server (esbuild, into server/dist). A
// restart after nothing changed builds nothing (issue 23: start-up time is a product feature).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const at = (...p) => path.join(root, ...p);

/** The newest modification time under these paths (files and directories). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    max = Math.max(max, stat.mtimeMs);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  for (const p of paths) walk(p);
  return max;
}

const builtAt = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
const webSources = [
  at("web", "src"),
  at("web", "index.html"),
  at("web", "public"),
  at("web", "vite.config.ts"),
  at("web", "package.json"),
  at("contracts", "src"),
];
if (builtAt(at("web", "dist", "index.html")) < newest(webSources)) {
  const res = spawnSync("npm", ["run", "build", "--workspace", "web"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
const server = spawnSync(process.execPath, [at("server", "scripts", "build-server.mjs")], { cwd: root, stdio: "inherit" });
process.exit(server.status ?? 1);
