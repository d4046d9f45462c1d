// Runs commands at the same time and fails when any of them fails: `npm test`'s checks (typecheck,
// lint, dependency rules, build) and the three projects' typechecks. One after another they took
// about 90 s of CI's 30-minute budget on two cores; side by side about two thirds of that. Each
// command's output is printed whole when it ends, so the outputs do not interleave.
import { spawn } from "node:child_process";

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error("usage: node scripts/parallel.mjs <command> [<command> …]");
  process.exit(2);
}

const run = (command) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      process.stdout.write(`${output}${output && !output.endsWith("\n") ? "\n" : ""}`);
      console.log(`${ok ? "✓" : "✗"} ${command} (${seconds} s${ok ? "" : `, ${signal ?? `exit code ${code}`}`})`);
      resolve(ok);
    });
  });

const results = await Promise.all(commands.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
